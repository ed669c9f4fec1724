import FolkbokIndex
import FuzzDriver

// A shard's store image as a snapshot holds it, after the checksums (a writer bug is what
// this guards against): byte 0 picks the detail-table layout (0 none, version 2; 1 entries,
// version 3; 2 blobs, version 4), the rest is the image. Bad images must be answered with a
// `StoreImageError`, never a trap or an out-of-bounds read; a store that loads must answer
// every record it holds (P4 details decoded from the arena) and write an image that loads again
// to the same records.
fuzzMain { data, size in
    let input = Array(FuzzInput(fuzz: data, size))
    guard let first = input.first else { return 0 }
    let layout: StoreImageDetails = [.absent, .entries, .blobs][Int(first % 3)]
    let loaded = input.dropFirst().withUnsafeBytes { raw in
        Result { () throws(StoreImageError) in try PersonStore(image: raw, details: layout) }
    }
    guard case .success(let store) = loaded else { return 0 }
    let keys = store.allKeys
    let records = keys.map { store.record(for: $0) }
    var again: [UInt8] = []
    store.writeImage(into: &again)
    let reloaded = again.withUnsafeBytes { raw in Result { () throws(StoreImageError) in try PersonStore(image: raw) } }
    guard case .success(let second) = reloaded else {
        fatalError("a loaded store wrote an image that does not load: \(reloaded)")
    }
    guard keys.map({ second.record(for: $0) }) == records else { fatalError("written back, the records differ") }
    return 0
}
