import FolkbokModel

/// A reserve identity's own entry in a store: its identity and link state.
public struct ReserveEntry: Sendable, Hashable {
    public var id: Identity
    public var state: ReserveState

    public init(id: Identity, state: ReserveState) {
        self.id = id
        self.state = state
    }
}

/// Reserve identities held by a store. Their records are ordinary rows; the identity and link
/// state live beside them, are not part of the store image (FORMAT.md keeps them in the
/// snapshot's `reserves` section) and are put back with `restoreReserve`.
extension PersonStore {
    /// Every reserve identity's entry, ascending by key.
    public var reserveEntries: [(key: IdentityKey, entry: ReserveEntry)] {
        reserves.sorted { $0.key < $1.key }.map { (IdentityKey(raw: $0.key), $0.value) }
    }

    /// Puts back a reserve entry read from a snapshot section; false when no row has `key`
    /// (the section does not belong to this store).
    @discardableResult
    public mutating func restoreReserve(_ entry: ReserveEntry, key: IdentityKey) -> Bool {
        guard index.row(for: key.raw) != nil else { return false }
        reserves[key.raw] = entry
        return true
    }
}
