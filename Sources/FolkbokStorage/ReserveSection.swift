import FolkbokModel

/// The snapshot section `reserves` (Snapshots/FORMAT.md, "Reserve section"): each reserve
/// identity's identity and link state, which store images do not hold.
///
/// Layout: `u8` section version (1), `u64` count, then per entry the key (`u64`, ascending),
/// the identity and the reserve state as `RecordCodec` writes them. The snapshot container
/// checksums the section; `decode` still checks every field, the key order and the link
/// guarantees, and never traps on bad input.
public enum ReserveSection {
    public static let name = "reserves"
    static let version: UInt8 = 1

    public static func encode(_ entries: [(key: IdentityKey, id: Identity, state: ReserveState)]) -> [UInt8] {
        var bytes: [UInt8] = [version]
        bytes.appendLE(UInt64(entries.count))
        for entry in entries.sorted(by: { $0.key < $1.key }) {
            bytes.appendLE(entry.key.raw)
            RecordCodec.encodeIdentity(entry.id, into: &bytes)
            RecordCodec.encodeReserve(entry.state, into: &bytes)
        }
        return bytes
    }

    public static func decode(_ bytes: [UInt8]) throws(CodecError) -> [(
        key: IdentityKey, id: Identity, state: ReserveState
    )] {
        try bytes.withUnsafeBytes { raw in
            Result { () throws(CodecError) -> [(key: IdentityKey, id: Identity, state: ReserveState)] in
                var r = ByteReader(raw, .mutation)
                let versionOffset = r.offset
                guard try r.u8("reserves.version") == version else {
                    throw r.error(.invalidValue, "reserves.version", at: versionOffset)
                }
                let count = try r.u64("reserves.count")
                guard count <= UInt64(raw.count / 12) else { throw r.error(.invalidValue, "reserves.count", at: 1) }
                var out: [(key: IdentityKey, id: Identity, state: ReserveState)] = []
                var previous: UInt64?
                for _ in 0..<count {
                    let keyOffset = r.offset
                    let key = try r.u64("reserves.key")
                    if let previous, key <= previous { throw r.error(.invalidValue, "reserves.key", at: keyOffset) }
                    previous = key
                    let id = try r.identity("reserves.id")
                    guard id.kind == .reserve else { throw r.error(.invalidValue, "reserves.id", at: keyOffset) }
                    out.append((IdentityKey(raw: key), id, try r.reserveState()))
                }
                guard r.isAtEnd else { throw r.error(.trailingBytes, "reserves.end", at: r.offset) }
                return out
            }
        }.get()
    }
}
