import FolkbokStorage
import FuzzDriver

// Writes the input as the only write-ahead-log segment of a directory and recovers it, as
// start-up does, decoding every record it delivers; then walks its frames as `folkbok wal`
// tools do. Corruption must be answered with a `RecoveryError` (or a cut tail), never a trap.
fuzzMain { data, size in
    let input = FuzzInput(fuzz: data, size)
    let path = ScratchFile.write("wal-00000000000000000001.log", input)
    let fs = RealFileSystem()
    _ = try? WriteAheadLog.readFrames(ofSegment: path, fs: fs)
    _ = try? WriteAheadLog.recover(directory: ScratchFile.directory, fs: fs, after: 0, truncateCorruptTail: false) { _, record in
        _ = try? RecordCodec.decode(record)
    }
    return 0
}
