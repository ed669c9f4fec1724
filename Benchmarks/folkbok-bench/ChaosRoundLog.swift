/// One answered `person.get` of the crash loop's load.
struct ChaosRead: Hashable {
    var customer: String
    /// The session's staff user: unique per round and connection, so the access log's entries
    /// of one connection's round can be told apart from every other.
    var user: String
    var id: String
}

/// One acknowledged delta import: the identities it carried and the street each was given
/// (a marker unique to the import, so a record from an older import does not pass).
struct ChaosImport {
    var records: [(id: String, street: String)]
}

/// What one load connection saw acknowledged during one round, and what it had in flight
/// when the server died.
///
/// Guarantees: only answers the server gave are recorded as acknowledged; a request whose
/// answer never came is in `…InFlight`, at most one per connection (connections do not
/// pipeline); `merge` gathers several connections' logs into one.
struct ChaosRoundLog {
    /// `contact.set` answers: person and the contact version answered, in order.
    var contactAcks: [(id: String, version: UInt64)] = []
    /// Persons of `contact.set`s sent but not answered (at most one per connection).
    var contactInFlight: [String] = []
    /// The next `ifVersion` of each person this connection wrote (its chain's end).
    var chainEnds: [String: UInt64] = [:]
    var nrids: [String] = []
    var imports: [ChaosImport] = []
    var exports: [String] = []
    var snapshots = 0
    var reads: [ChaosRead] = []
    /// Reads sent but not answered (at most one per connection).
    var readsInFlight: [ChaosRead] = []
    /// Answers that were errors the load does not expect, by "method code reason".
    var unexpected: [String: Int] = [:]

    mutating func refused(_ method: String, _ code: Int64, _ reason: String) {
        unexpected["\(method) \(code) \(reason)", default: 0] += 1
    }

    mutating func merge(_ other: ChaosRoundLog) {
        contactAcks += other.contactAcks
        contactInFlight += other.contactInFlight
        readsInFlight += other.readsInFlight
        chainEnds.merge(other.chainEnds) { _, new in new }
        nrids += other.nrids
        imports += other.imports
        exports += other.exports
        snapshots += other.snapshots
        reads += other.reads
        unexpected.merge(other.unexpected, uniquingKeysWith: +)
    }
}
