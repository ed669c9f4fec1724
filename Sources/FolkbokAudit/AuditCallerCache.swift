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
    private struct Slot {
        var caller: AuditCaller?
        var encoded: [UInt8] = []
    }

    private static let slotCount = 256
    private var slots = [Slot](repeating: Slot(), count: slotCount)

    /// Appends `caller`'s encoded fields to `out`.
    mutating func append(_ caller: AuditCaller, to out: inout [UInt8]) {
        let address = UInt(bitPattern: ObjectIdentifier(caller))
        // Objects are 16-byte aligned: the bits above those spread over the slots.
        let i = Int(truncatingIfNeeded: (address >> 4) ^ (address >> 12)) & (Self.slotCount - 1)
        slots.withUnsafeMutableBufferPointer { slots in
            if slots[i].caller !== caller {
                slots[i].caller = caller
                slots[i].encoded.removeAll(keepingCapacity: true)
                AuditCodec.appendCaller(caller, to: &slots[i].encoded)
            }
            slots[i].encoded.withUnsafeBufferPointer { out.append(contentsOf: $0) }
        }
    }
}
