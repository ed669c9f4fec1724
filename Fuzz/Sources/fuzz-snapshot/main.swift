import FolkbokStorage
import FuzzDriver

// Writes the input as a snapshot file and verifies it: every byte against the checksums and
// the structure (records for version 1, the shard table and image checksums for version 2).
// Bad files must be answered with a `SnapshotError`, never a trap or an out-of-bounds read.
// Checksums stop mutated inputs early; the envelope and tables before them are what this
// reaches.
fuzzMain { data, size in
    let path = ScratchFile.write("fuzz.fbsnap", FuzzInput(fuzz: data, size))
    _ = SnapshotFile.verify(path: path, fs: RealFileSystem())
    return 0
}
