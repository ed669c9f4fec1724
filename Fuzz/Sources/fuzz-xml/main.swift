import FolkbokXML
import FuzzDriver

// The input is a document: `XMLReader` must answer with events or an `XMLError`, never a trap.
// Byte 0 picks how the rest is cut into reads (1–16 bytes each, or whole) and the reader's chunk
// size; the same document read whole must give the same events, or the same error and line.
fuzzMain { data, size in
    let input = FuzzInput(fuzz: data, size)
    guard let first = input.first else { return 0 }
    let document = Array(input.dropFirst())
    let pieces = first & 0x80 == 0 ? [] : [1 + Int(first & 0x0F), 1 + Int((first >> 4) & 0x07)]
    let chunkSize = first & 0x40 == 0 ? 1 + Int(first & 0x3F) : 4096
    func read(_ pieces: [Int], _ chunkSize: Int) -> Result<[XMLEvent], XMLError> {
        var reader = XMLReader(source: XMLMemorySource(document, pieceSizes: pieces), chunkSize: chunkSize,
                               limits: XMLLimits(maxTokenBytes: 1 << 16, maxDepth: 64, maxAttributes: 64))
        do { return .success(try reader.allEvents()) } catch { return .failure(error) }
    }
    let cut = read(pieces, chunkSize)
    let whole = read([], 1 << 16)
    switch (cut, whole) {
    case (.success(let a), .success(let b)):
        precondition(a == b, "a document read in pieces gives other events than read whole")
        for case .text(let t) in a { precondition(!t.isEmpty, "an empty text event") }
    case (.failure(let a), .failure(let b)):
        precondition(a == b || a.reason == .tokenTooLong || b.reason == .tokenTooLong,
                     "a document read in pieces gives another error than read whole")
        precondition(a.line >= 1 && a.reason.isMalformation, "an error without a line or not a malformation")
    default:
        preconditionFailure("a document read in pieces is accepted one way and refused the other")
    }
    return 0
}
