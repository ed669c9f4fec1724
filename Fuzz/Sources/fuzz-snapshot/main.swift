import FolkbokStorage
import FuzzDriver

// Puts the input in a fresh `MemoryFileSystem` as a snapshot file and verifies it: every byte
// against the checksums and the structure (records for version 1, the shard table and image
// checksums for version 2). Bad files must be answered with a `SnapshotError`, never a trap
// or an out-of-bounds read. Checksums stop mutated inputs early; the envelope and tables
// before them are what this reaches.
fuzzMain { data, size in
    let fs = MemoryFileSystem()
    do {
        try fs.writeFile("/fuzz.fbsnap", Array(FuzzInput(fuzz: data, size)))
    } catch {
        fatalError("the memory file system refused the snapshot: \(error)")
    }
    _ = SnapshotFile.verify(path: "/fuzz.fbsnap", fs: fs)
    return 0
}
