import FolkbokStorage

/// Rewrites a log segment's checksums so that mutated frames pass them and the fuzzer reaches
/// the record decoding behind (libFuzzer cannot solve a CRC). Follows Snapshots/FORMAT.md,
/// "Write-ahead log": header CRC32C of bytes 0..<20 at 20; frames from 24 as length u32 (LSN
/// included) | CRC32C u32 of LSN and payload | LSN u64 | payload, until a length that is 0 or
/// runs past the end.
enum ChecksumFixup {
    static func segment(_ file: inout [UInt8]) {
        guard file.count >= 24 else { return }
        store(file.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<20])) }, at: 20, in: &file)
        var offset = 24
        while offset + 16 <= file.count {
            let length = file[offset..<(offset + 4)].reversed().reduce(0) { $0 << 8 | Int($1) }
            guard length >= 8, offset + 8 + length <= file.count else { return }
            let frame = (offset + 8)..<(offset + 8 + length)
            store(file.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[frame])) }, at: offset + 4, in: &file)
            offset += 8 + length
        }
    }

    private static func store(_ value: UInt32, at offset: Int, in file: inout [UInt8]) {
        for k in 0..<4 { file[offset + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
    }
}
