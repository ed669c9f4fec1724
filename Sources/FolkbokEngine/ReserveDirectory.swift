import FolkbokIndex
import FolkbokModel
import FolkbokSync
import Synchronization

/// What the server must know about reserve identities before it reads a shard: the key of a
/// local reserve identity, the person a reserve identity is linked to, and which reserve keys
/// exist (so an NRID is never issued twice).
///
/// Guarantees: links mirror the reserve records applied to the engine (`Engine.apply` keeps
/// them current; `Engine.rebuildReserveDirectory` after recovery), so a reader never follows a
/// link that is not durable. The issued identities (keys, local values, serials) also include
/// those of read-modify-writes still in flight (`noteIssued`), so none is handed out twice.
/// Lock-protected, so it can be read from the epoll thread.
public final class ReserveDirectory: Sendable {
    struct State {
        var local: [String: UInt64] = [:]
        var links: [UInt64: UInt64] = [:]
        var known: Set<UInt64> = []
        var maxSerial: UInt32 = 0
        /// Where to start looking for a free NRID per (birth date, sex): a hint, not a promise.
        var sequenceHints: [UInt64: UInt64] = [:]
    }

    private let state = Locked(State())

    public init() {}

    /// The key of the local reserve identity `value` issued by region `issuer`.
    public func localKey(issuer: String, value: String) -> IdentityKey? {
        state.withLock { $0.local[Self.localName(issuer, value)] }.map(IdentityKey.init(raw:))
    }

    /// The key of the person the reserve identity under `key` is linked to now.
    public func linkedKey(of key: IdentityKey) -> IdentityKey? {
        state.withLock { $0.links[key.raw] }.map(IdentityKey.init(raw:))
    }

    /// The key a reserve identity has, or nil when it was never issued or registered.
    public func key(of identity: Identity) -> IdentityKey? {
        guard identity.kind == .reserve else { return IdentityKey(identity) }
        if identity.isNationalReserve {
            guard let key = IdentityKey(identity) else { return nil }
            return state.withLock { $0.known.contains(key.raw) } ? key : nil
        }
        return localKey(issuer: identity.issuer ?? "", value: identity.value)
    }

    public var count: Int { state.withLock { $0.known.count } }

    /// The serial for the next local reserve identity (call under the engine's write lock).
    public func nextLocalSerial() -> UInt32 { state.withLock { $0.maxSerial + 1 } }

    /// An NRID for (birth date, sex) that no reserve record has (call under the write lock);
    /// nil when every value for the pair is taken.
    public func freeNationalReserve(birthDate: CivilDate?, sex: Sex?) -> (Identity, IdentityKey)? {
        let pair = UInt64(birthDate?.packed ?? 0) << 2 | UInt64(sex == nil ? 0 : sex == .female ? 1 : 2)
        return state.withLock { s in
            var sequence = s.sequenceHints[pair] ?? 0
            while let id = NationalReserveIssuer.make(birthDate: birthDate, sex: sex, sequence: sequence) {
                sequence += 1
                guard let key = IdentityKey(id), !s.known.contains(key.raw) else { continue }
                s.sequenceHints[pair] = sequence
                return (id, key)
            }
            return nil
        }
    }

    /// Records an applied reserve record: its identity and its link.
    func note(_ key: IdentityKey, _ record: PersonRecord) {
        state.withLock { Self.note(key, record, in: &$0) }
    }

    /// Replaces everything with the applied reserve records `entries`, in one step.
    func replaceAll(_ entries: [(IdentityKey, PersonRecord)]) {
        var fresh = State()
        for (key, record) in entries { Self.note(key, record, in: &fresh) }
        state.withLock { $0 = fresh }
    }

    private static func note(_ key: IdentityKey, _ record: PersonRecord, in s: inout State) {
        guard let reserve = record.reserve else { return }
        addIdentity(key, record, to: &s)
        s.links[key.raw] = reserve.linkedTo.flatMap(IdentityKey.init)?.raw
    }

    /// Records the identity of a reserve record still in flight (queued, not yet durable), so
    /// it is not handed out again; its link is recorded only when it is applied (`note`).
    func noteIssued(_ key: IdentityKey, _ record: PersonRecord) {
        guard record.reserve != nil else { return }
        state.withLock { Self.addIdentity(key, record, to: &$0) }
    }

    private static func addIdentity(_ key: IdentityKey, _ record: PersonRecord, to s: inout State) {
        s.known.insert(key.raw)
        if let serial = key.localReserveSerial {
            s.local[localName(record.id.issuer ?? "", record.id.value)] = key.raw
            s.maxSerial = max(s.maxSerial, serial)
        }
    }

    func forget(_ key: IdentityKey) {
        state.withLock { s in
            s.links[key.raw] = nil
            s.known.remove(key.raw)
            if key.isLocalReserve, let name = s.local.first(where: { $0.value == key.raw })?.key { s.local[name] = nil }
        }
    }

    func removeAll() { state.withLock { $0 = State() } }

    private static func localName(_ issuer: String, _ value: String) -> String { issuer + "\u{0}" + value }
}
