import FolkbokEngine
import FolkbokModel

/// How a person-data read finds what to answer: the asked identity's own key and, for a
/// reserve identity linked to a person (when links are followed), the person's key as well,
/// both read in the same batch.
///
/// Guarantees: the answer is the linked person's record only when the reserve record read in
/// that batch still names that person; otherwise (unlinked meanwhile, or the person removed)
/// it is the reserve identity's own record. An identity with no key (a local reserve identity
/// never registered) reads nothing and answers nil.
struct LinkedLookup: Sendable {
    let keys: [IdentityKey]

    init(_ identity: Identity, follow: Bool, reserves: ReserveDirectory) {
        guard
            let own = identity.kind == .reserve
                ? reserves.key(of: identity) ?? IdentityKey(identity) : IdentityKey(identity)
        else {
            keys = []
            return
        }
        if follow, identity.kind == .reserve, let person = reserves.linkedKey(of: own) {
            keys = [own, person]
        } else {
            keys = [own]
        }
    }

    /// The record to answer, from the records read for `keys` (in order).
    func answer(_ records: ArraySlice<PersonRecord?>) -> PersonRecord? {
        guard let own = records.first ?? nil else { return nil }
        if keys.count == 2, let person = records[records.startIndex + 1], own.reserve?.linkedTo == person.id {
            return person
        }
        return own
    }
}
