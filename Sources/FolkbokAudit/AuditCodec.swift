import FolkbokCrypto
import FolkbokModel
import FolkbokStorage

/// The binary form of an audit entry and its link in the hash chain (docs: AUDIT-FORMAT.md).
///
/// Guarantees: `decode(encode(e, previousHash: h).payload)` gives back `e` exactly and the
/// stored hash; the field order and codes are frozen (format version 2 adds the subject;
/// version 1 entries, which have none, still decode); the payload is the
/// encoded entry followed by its 32-byte chain hash
/// `hash_n = SHA256(hash_{n-1} ‖ encoded entry_n)`, with `genesis` (32 zero bytes) before seq 1.
public enum AuditCodec {
    public static let version: UInt8 = 2
    /// The first format version, without the subject field.
    static let versionWithoutSubject: UInt8 = 1
    public static let hashSize = 32
    /// The chain hash "before" the first entry.
    public static let genesis = [UInt8](repeating: 0, count: 32)

    /// The entry's bytes without the hash: version u8, seq u64, time i64, customer, user,
    /// purpose, contract, method, profile (strings), person, resolved (identities), outcome u8
    /// (0 = nil, else its raw value), subject (u8 0 = nil, else 1 then birth date u32
    /// YYYYMMDD or 0, sex u8: 0 nil, 1 F, 2 M).
    public static func encodeEntry(_ e: AuditEntry) -> [UInt8] {
        encodeEntry(e, version: version)
    }

    /// The entry in an older format version (for the committed fixtures and their tests).
    static func encodeEntry(_ e: AuditEntry, version: UInt8) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128)
        encodeEntry(e, version: version, into: &out)
        return out
    }

    /// Appends the entry's bytes to `out`.
    static func encodeEntry(_ e: AuditEntry, version: UInt8, into out: inout [UInt8]) {
        encodeEntry(e, version: version, into: &out) { appendCaller($0, to: &$1) }
    }

    /// Appends the entry's bytes to `out`, its caller's fields by `appendCallerFields`.
    private static func encodeEntry(
        _ e: AuditEntry, version: UInt8, into out: inout [UInt8],
        appendCallerFields: (AuditCaller, inout [UInt8]) -> Void
    ) {
        out.append(version)
        out.appendLE(e.seq)
        out.appendLE(e.time)
        appendCallerFields(e.caller, &out)
        appendIdentity(e.person, to: &out)
        appendIdentity(e.resolved, to: &out)
        out.append(e.outcome?.rawValue ?? 0)
        guard version > versionWithoutSubject else { return }
        if let subject = e.subject {
            out.append(1)
            out.appendLE(subject.birthDate?.packed ?? 0)
            out.append(subject.sex.map { $0 == .female ? 1 : 2 } ?? 0)
        } else {
            out.append(0)
        }
    }

    /// The caller's fields as an entry stores them: customer, user, purpose, contract, method,
    /// profile (strings).
    static func appendCaller(_ c: AuditCaller, to out: inout [UInt8]) {
        out.appendString(c.customer)
        out.appendString(c.user)
        out.appendString(c.purpose)
        out.appendString(c.contract)
        out.appendString(c.method)
        out.appendString(c.profile)
    }

    /// The payload stored for `e` and its chain hash, given the previous entry's hash.
    public static func encode(_ e: AuditEntry, previousHash: [UInt8]) -> (payload: [UInt8], hash: [UInt8]) {
        var payload = encodeEntry(e)
        let hash = chainHash(previous: previousHash, encodedEntry: payload)
        payload += hash
        return (payload, hash)
    }

    /// Replaces `payload` with the payload stored for `e` (the entry, then its chain hash given
    /// the previous entry's hash), reusing its storage; `callers` holds the callers' encoded
    /// fields from earlier entries.
    static func encode(
        _ e: AuditEntry, previousHash: UnsafeRawBufferPointer, into payload: inout [UInt8],
        callers: inout AuditCallerCache
    ) {
        payload.removeAll(keepingCapacity: true)
        encodeEntry(e, version: version, into: &payload) { callers.append($0, to: &$1) }
        var hasher = SHA256Hasher()
        hasher.update(previousHash)
        payload.withUnsafeBytes { hasher.update($0) }
        hasher.finalize(appendingTo: &payload)
    }

    /// `SHA256(previous ‖ encodedEntry)`.
    public static func chainHash(previous: [UInt8], encodedEntry: [UInt8]) -> [UInt8] {
        var hasher = SHA256Hasher()
        hasher.update(previous)
        hasher.update(encodedEntry)
        return hasher.finalize()
    }

    /// The stored hash of a payload (its last 32 bytes), `nil` if it is too short.
    public static func storedHash(_ payload: [UInt8]) -> [UInt8]? {
        payload.count > hashSize ? Array(payload[(payload.count - hashSize)...]) : nil
    }

    /// Whether `payload`'s stored hash equals `SHA256(previous ‖ its entry bytes)`.
    public static func linkHolds(_ payload: [UInt8], previous: [UInt8]) -> Bool {
        guard let stored = storedHash(payload) else { return false }
        return chainHash(previous: previous, encodedEntry: Array(payload[..<(payload.count - hashSize)])) == stored
    }

    /// Decodes a payload into the entry and its stored hash.
    public static func decode(_ payload: [UInt8]) throws(CodecError) -> (entry: AuditEntry, hash: [UInt8]) {
        guard payload.count > hashSize else { throw CodecError(.truncated, field: "hash", offset: 0, in: .auditEntry) }
        let body = payload.count - hashSize
        let result = payload.withUnsafeBytes { raw in
            Result { () throws(CodecError) -> AuditEntry in try decodeEntry(raw.slice(0..<body)) }
        }
        return (try result.get(), Array(payload[body...]))
    }

    static func decodeEntry(_ raw: UnsafeRawBufferPointer) throws(CodecError) -> AuditEntry {
        var r = ByteReader(raw, .auditEntry)
        let entryVersion = try r.u8("version")
        guard entryVersion == version || entryVersion == versionWithoutSubject else {
            throw r.error(.invalidValue, "version", at: 0)
        }
        let seq = try r.u64("seq")
        let time = try Int64(bitPattern: r.u64("time"))
        let customer = try r.requiredString("customer")
        let user = try r.string("user")
        let purpose = try r.string("purpose")
        let contract = try r.string("contract")
        let method = try r.requiredString("method")
        let profile = try r.string("profile")
        let person = try readIdentity(&r, "person")
        let resolved = try readIdentity(&r, "resolved")
        let outcomeAt = r.offset
        let code = try r.u8("outcome")
        var outcome: AuditOutcome?
        if code != 0 {
            guard let known = AuditOutcome(rawValue: code) else {
                throw r.error(.invalidValue, "outcome", at: outcomeAt)
            }
            outcome = known
        }
        let subject = entryVersion == versionWithoutSubject ? nil : try readSubject(&r)
        if subject != nil && outcome != .full { throw r.error(.invalidValue, "subject", at: outcomeAt + 1) }
        guard r.isAtEnd else { throw r.error(.trailingBytes, "end", at: r.offset) }
        return AuditEntry(
            seq: seq, time: time, customer: customer, user: user, purpose: purpose, contract: contract, method: method,
            profile: profile, person: person, resolved: resolved, outcome: outcome, subject: subject)
    }

    private static func readSubject(_ r: inout ByteReader) throws(CodecError) -> AuditSubject? {
        let at = r.offset
        switch try r.u8("subject") {
        case 0: return nil
        case 1:
            let packed = try r.u32("subject")
            let birthDate = CivilDate(packed: packed)
            guard packed == 0 || birthDate != nil else { throw r.error(.invalidValue, "subject", at: at) }
            let sex: Sex?
            switch try r.u8("subject") {
            case 0: sex = nil
            case 1: sex = .female
            case 2: sex = .male
            default: throw r.error(.invalidValue, "subject", at: at)
            }
            return AuditSubject(birthDate: birthDate, sex: sex)
        default: throw r.error(.invalidValue, "subject", at: at)
        }
    }

    /// Kind codes (frozen): 0 nil, 1 personnummer, 2 samordningsnummer, 3 reserve.
    private static func appendIdentity(_ id: Identity?, to out: inout [UInt8]) {
        guard let id else { return out.append(0) }
        out.append(id.kind.diskCode)
        out.appendString(id.value)
        out.appendString(id.issuer)
    }

    private static func readIdentity(_ r: inout ByteReader, _ field: StaticString) throws(CodecError) -> Identity? {
        let at = r.offset
        let code = try r.u8(field)
        if code == 0 { return nil }
        guard let kind = IdentityKind(diskCode: code) else { throw r.error(.invalidValue, field, at: at) }
        return Identity(kind: kind, value: try r.requiredString(field), issuer: try r.string(field))
    }
}
