import FolkbokModel

/// The 64-bit index keys of identities and customers (FNV-1a 64, frozen: keys are stored in
/// index files).
///
/// Guarantees: deterministic across processes and versions; an identity and a customer never
/// share an input (each is tagged), so equal keys mean equal inputs up to hash collisions,
/// which queries filter out by comparing the decoded entry.
enum AuditKey {
    /// FNV-1a over "P", the kind's disk code, the value's UTF-8, 0, the issuer's UTF-8 (none
    /// when absent), then 1 with an issuer or 0 without.
    static func person(_ id: Identity) -> UInt64 {
        var h = step(step(basis, UInt8(ascii: "P")), id.kind.diskCode)
        for b in id.value.utf8 { h = step(h, b) }
        h = step(h, 0)
        if let issuer = id.issuer { for b in issuer.utf8 { h = step(h, b) } }
        return step(h, id.issuer == nil ? 0 : 1)
    }

    /// FNV-1a over "C" and the customer id's UTF-8.
    static func customer(_ name: String) -> UInt64 { AuditCaller.customerKey(name) }

    /// The keys an entry is indexed under: its person, its resolved identity (if different),
    /// and its customer.
    static func keys(of e: AuditEntry) -> [UInt64] {
        var keys = [e.caller.customerKey]
        if let p = e.person { keys.append(person(p)) }
        if let r = e.resolved, r != e.person { keys.append(person(r)) }
        return keys
    }

    private static let basis: UInt64 = 0xcbf2_9ce4_8422_2325

    @inline(__always)
    private static func step(_ h: UInt64, _ b: UInt8) -> UInt64 { (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
}
