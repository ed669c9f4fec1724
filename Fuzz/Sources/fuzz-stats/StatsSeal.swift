import FolkbokStorage

/// Wraps a body in the statistics file envelope (`StatsCodec`'s layout: magic, version 1, body
/// length, body, CRC32C of all before), so mutated bodies pass the checks in front of the body
/// decoder, which libFuzzer could not (a CRC).
enum StatsSeal {
    static let countersMagic: [UInt8] = [0x89, 0x46, 0x42, 0x53, 0x43, 0x0D, 0x0A, 0x1A]
    static let deltaMagic: [UInt8] = [0x89, 0x46, 0x42, 0x53, 0x44, 0x0D, 0x0A, 0x1A]

    static func seal(_ body: some Collection<UInt8>, counters: Bool) -> [UInt8] {
        var out = counters ? countersMagic : deltaMagic
        out += [1, 0]
        for k in 0..<8 { out.append(UInt8(truncatingIfNeeded: UInt64(body.count) >> (8 * k))) }
        out += body
        let crc = out.withUnsafeBytes { CRC32C.checksum($0) }
        for k in 0..<4 { out.append(UInt8(truncatingIfNeeded: crc >> (8 * k))) }
        return out
    }
}
