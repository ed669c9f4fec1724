import FolkbokModel

/// The encoded caller fields (customer, user, purpose, contract, method, profile, as
/// `AuditCodec` writes them) of recently written callers, so the log's writer encodes a
/// caller's six strings once, not once per entry: a connection's entries share one caller.
///
/// Guarantees: the bytes appended are exactly those `AuditCodec.appendCaller` writes for the
/// caller; a slot holds its caller strongly, so a match by identity is that very object, never
/// a new one at a reused address. Direct-mapped: a collision costs one encoding, not a wrong
/// answer.
struct AuditCallerCache {
    private static let slotCount = 256
    private var callers: [AuditCaller?] = Array(repeating: nil, count: slotCount)
    private var encoded: [[UInt8]] = Array(repeating: [], count: slotCount)

    /// Appends `caller`'s encoded fields to `out`.
    mutating func append(_ caller: AuditCaller, to out: inout [UInt8]) {
        let address = UInt(bitPattern: ObjectIdentifier(caller).hashValue)
        // Objects are 16-byte aligned: the bits above those spread over the slots.
        let slot = Int(truncatingIfNeeded: (address >> 4) ^ (address >> 12)) & (Self.slotCount - 1)
        if callers[slot] !== caller {
            callers[slot] = caller
            encoded[slot].removeAll(keepingCapacity: true)
            AuditCodec.appendCaller(caller, to: &encoded[slot])
        }
        encoded[slot].withUnsafeBufferPointer { out.append(contentsOf: $0) }
    }
}
