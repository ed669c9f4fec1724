import FolkbokStorage
import FuzzDriver

// Byte 0, if odd, has the checksums fixed up (`ChecksumFixup`) so mutants reach the records;
// the rest is written as the only write-ahead-log segment of a directory. Its frames are
// walked (`readFrames`) and it is recovered as start-up does, every record delivered being
// decoded. Corruption must be answered with an error or a cut tail, never a trap.
fuzzMain { data, size in
    let input = FuzzInput(fuzz: data, size)
    guard let mode = input.first else { return 0 }
    var file = Array(input.dropFirst())
    if mode & 1 == 1 { ChecksumFixup.segment(&file) }
    let path = file.withUnsafeBytes { ScratchFile.write("wal-00000000000000000001.log", $0) }
    let fs = RealFileSystem()
    _ = try? WriteAheadLog.readFrames(ofSegment: path, fs: fs)
    _ = try? WriteAheadLog.recover(directory: ScratchFile.directory, fs: fs, after: 0, truncateCorruptTail: false) { _, record in
        _ = try? RecordCodec.decode(record)
    }
    return 0
}
