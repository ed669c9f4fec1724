import FolkbokModel

/// The 64-bit index keys of identities and customers (FNV-1a 64, frozen: keys are stored in
/// index files).
///
/// Guarantees: deterministic across processes and versions; an identity and a customer never
/// share an input (each is tagged), so equal keys mean equal inputs up to hash collisions,
/// which queries filter out by comparing the decoded entry.
enum AuditKey {
    static func person(_ id: Identity) -> UInt64 {
        var h = fnv([UInt8(ascii: "P"), id.kind.diskCode])
        h = fnv(Array(id.value.utf8), seed: h)
        return fnv([0] + Array((id.issuer ?? "").utf8) + [id.issuer == nil ? 0 : 1], seed: h)
    }

    static func customer(_ name: String) -> UInt64 {
        fnv(Array(name.utf8), seed: fnv([UInt8(ascii: "C")]))
    }

    /// The keys an entry is indexed under: its person, its resolved identity (if different),
    /// and its customer.
    static func keys(of e: AuditEntry) -> [UInt64] {
        var keys = [customer(e.customer)]
        if let p = e.person { keys.append(person(p)) }
        if let r = e.resolved, r != e.person { keys.append(person(r)) }
        return keys
    }

    private static func fnv(_ bytes: [UInt8], seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
        var h = seed
        for b in bytes {
            h ^= UInt64(b)
            h &*= 0x0000_0100_0000_01b3
        }
        return h
    }
}
