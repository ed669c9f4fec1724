import CFolkbokSys
import FolkbokModel

/// The interned strings of a pool, read in place: valid only inside `StringPool.withView`.
struct PoolView {
    let arena: UnsafeBufferPointer<UInt8>
    let starts: UnsafeBufferPointer<UInt32>

    /// The bytes of string `id`, nil for id 0 (no string).
    /// The length of string `id` in bytes (0 for id 0).
    @inline(__always)
    func length(_ id: UInt32) -> Int {
        id == 0 ? 0 : Int(starts[Int(id) + 1] &- starts[Int(id)])
    }

    /// `length(id)`, and starts loading the string's first bytes into the cache: a record's
    /// strings lie all over the arena, so rendering waited for each in turn.
    @inline(__always)
    func lengthPrefetching(_ id: UInt32) -> Int {
        guard id != 0 else { return 0 }
        let lo = starts[Int(id)]
        if let base = arena.baseAddress { fb_prefetch(base + Int(lo)) }
        return Int(starts[Int(id) + 1] &- lo)
    }

    @inline(__always)
    func text(_ id: UInt32) -> UnsafeBufferPointer<UInt8>? {
        guard id != 0 else { return nil }
        let lo = Int(starts[Int(id)]), hi = Int(starts[Int(id) + 1])
        return UnsafeBufferPointer(rebasing: arena[lo..<hi])
    }
}

extension StringPool {
    func withView<R>(_ body: (PoolView) -> R) -> R {
        arena.withUnsafeBufferPointer { a in starts.withUnsafeBufferPointer { s in body(PoolView(arena: a, starts: s)) }
        }
    }
}

/// One person read in place from the packed row and the store's string pools, for encoders
/// that write it without building a `PersonRecord` (no string is copied or allocated; only a
/// rare part — a special or foreign address, reserve links, P5 history — is copied out of its
/// side table; P4 details are decoded from their arena only when `details` is read).
///
/// Guarantees: every field is what `PersonStore.record(for:)` would answer for the same key
/// (the same rules as `unpack`). Valid only inside `PersonStore.withPacked`'s body: it points
/// into the store's buffers.
public struct PackedPerson: RecordSource {
    let row: PersonRow
    public let id: Identity
    let strings: PoolView
    let codes: PoolView
    let contact: ContactRow?
    public let specialAddress: PostalAddress?
    public let foreignAddress: ForeignAddress?
    public let reserveLinks: [Identity]
    /// The encoded P4 details in the store's arena (`DetailBlob`), nil when none.
    let detailBlob: UnsafeRawBufferPointer?
    public let history: [HistoryEntry]

    /// Decoded on each read (an encoder asks once, and only for a P4 or P5 answer).
    public var details: PersonDetails? { detailBlob.map(DetailBlob.decode) }

    public func withText<T>(_ field: RecordText, _ body: (UnsafeBufferPointer<UInt8>?) -> T) -> T {
        let address = row.flags.contains(.hasAddress)
        switch field {
        case .given: return body(strings.text(row.given))
        case .callName: return body(strings.text(row.callName))
        case .middle: return body(strings.text(row.middle))
        case .surname: return body(strings.text(row.surname))
        case .careOf: return body(address ? strings.text(row.careOf) : nil)
        case .street: return body(address ? strings.text(row.street) : nil)
        case .postalCode: return body(address ? strings.text(row.postalCode) : nil)
        case .city: return body(address ? strings.text(row.city) : nil)
        case .county: return body(codes.text(UInt32(row.county)))
        case .municipality: return body(codes.text(UInt32(row.municipality)))
        case .region: return body(codes.text(UInt32(row.region)))
        case .email: return body(contact.flatMap { strings.text($0.email) })
        case .phone: return body(contact.flatMap { strings.text($0.phone) })
        case .consentSource:
            // As `unpack`: a missing source reads as the empty string.
            guard let contact else { return body(nil) }
            return body(strings.text(contact.source) ?? UnsafeBufferPointer(start: nil, count: 0))
        }
    }

    /// As `withText` would sum it, read straight from the pools' offsets (no closure per field);
    /// starts loading each string for the rendering that follows.
    public var textBytes: Int {
        var n = strings.lengthPrefetching(row.given) + strings.lengthPrefetching(row.callName)
        n += strings.lengthPrefetching(row.middle) + strings.lengthPrefetching(row.surname)
        if row.flags.contains(.hasAddress) {
            n += strings.lengthPrefetching(row.careOf) + strings.lengthPrefetching(row.street)
            n += strings.lengthPrefetching(row.postalCode) + strings.lengthPrefetching(row.city)
        }
        n +=
            codes.length(UInt32(row.county)) + codes.length(UInt32(row.municipality)) + codes.length(UInt32(row.region))
        if let contact {
            n += strings.lengthPrefetching(contact.email) + strings.lengthPrefetching(contact.phone)
            n += strings.lengthPrefetching(contact.source)
        }
        return n
    }

    public var birthDate: CivilDate? { CivilDate(packed: row.birthDate) }
    public var sex: Sex? { Sex(packed: row.sex) }
    public var hasAddress: Bool { row.flags.contains(.hasAddress) }
    public var protection: Protection { Protection(rawValue: row.protection) ?? .none }
    public var test: Bool { row.flags.contains(.test) }
    public var status: PersonStatus {
        PersonStatus(
            state: LifeState(rawValue: row.state) ?? .active, date: RegisterDate(packed: row.statusDate),
            reason: DeregistrationReason(packed: row.reason))
    }
    public var contactStamp: (consentDate: CivilDate, version: UInt64)? {
        contact.map { (CivilDate(packed: $0.consentDate)!, $0.version) }
    }
    public var version: UInt64 { row.version }
}

extension PersonStore {
    /// As `withPacked(_:_:)` on the store `store` points to, reading only the fields it needs
    /// where they lie: a call on the whole store held elsewhere (in another module's class)
    /// copies it first, a retain and a release of every one of its buffers.
    public static func withPacked<T>(
        at store: UnsafePointer<PersonStore>, _ key: IdentityKey, _ body: (PackedPerson?) -> T
    ) -> T {
        guard let at = store.pointee.index.row(for: key.raw),
            let id = key.identity ?? store.pointee.reserves[key.raw]?.id
        else { return body(nil) }
        let row = store.pointee.rows[Int(at)]
        let flags = row.flags
        let contact = flags.contains(.hasContact) ? store.pointee.contacts[row.key] : nil
        let special = flags.contains(.hasSpecialAddress) ? store.pointee.specialAddresses[row.key] : nil
        let foreign = flags.contains(.hasForeignAddress) ? store.pointee.foreignAddresses[row.key] : nil
        let links = flags.contains(.hasReserveLinks) ? store.pointee.reserveLinks[row.key] ?? [] : []
        let history = flags.contains(.hasHistory) ? store.pointee.histories[row.key] ?? [] : []
        func read(_ blob: UnsafeRawBufferPointer?) -> T {
            store.pointee.strings.withView { s in
                store.pointee.codes.withView { c in
                    body(
                        PackedPerson(
                            row: row, id: id, strings: s, codes: c, contact: contact, specialAddress: special,
                            foreignAddress: foreign, reserveLinks: links, detailBlob: blob, history: history))
                }
            }
        }
        guard flags.contains(.hasDetails) else { return read(nil) }
        return store.pointee.details.withBlob(at: row.detailAt) { read($0) }
    }

    /// Calls `body` with the record under `key` read in place, or nil when there is none.
    public func withPacked<T>(_ key: IdentityKey, _ body: (PackedPerson?) -> T) -> T {
        withUnsafePointer(to: self) { Self.withPacked(at: $0, key, body) }
    }
}
