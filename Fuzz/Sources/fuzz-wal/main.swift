import FolkbokStorage
import FuzzDriver

// Byte 0, if odd, has the checksums fixed up (`ChecksumFixup`) so mutants reach the records;
// the rest is the only write-ahead-log segment of a directory, in a fresh `MemoryFileSystem`
// (the same calls as real files, without their cost). Its frames are walked (`readFrames`)
// and it is recovered as start-up does, every record delivered being decoded. Corruption must
// be answered with an error or a cut tail, never a trap.
fuzzMain { data, size in
    let input = FuzzInput(fuzz: data, size)
    guard let mode = input.first else { return 0 }
    var file = Array(input.dropFirst())
    if mode & 1 == 1 { ChecksumFixup.segment(&file) }
    let fs = MemoryFileSystem()
    let path = "/wal/wal-00000000000000000001.log"
    do {
        try fs.makeDirectory("/wal")
        try fs.writeFile(path, file)
    } catch {
        fatalError("the memory file system refused the segment: \(error)")
    }
    _ = try? WriteAheadLog.readFrames(ofSegment: path, fs: fs)
    _ = try? WriteAheadLog.recover(directory: "/wal", fs: fs, after: 0, truncateCorruptTail: false) { _, record in
        _ = try? RecordCodec.decode(record)
    }
    return 0
}
