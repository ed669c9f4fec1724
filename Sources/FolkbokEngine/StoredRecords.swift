import FolkbokModel

/// The records stored under a bulk batch's keys, in the keys' order (nil where there is none),
/// as `Engine.modifyInBulk` hands them to its plan.
///
/// Guarantees: element `i` is the record stored (or in flight) under key `i` when the plan
/// runs. A batch none of whose keys is stored (a first import) holds no array of absent
/// records at all: `[PersonRecord?]` of 32,768 nils is 17 MB written and faulted in per batch.
public struct StoredRecords: RandomAccessCollection, Sendable {
    private let records: [PersonRecord?]
    public let count: Int
    /// Whether any key has a record.
    public let anyStored: Bool

    /// `records`, one per key.
    public init(_ records: [PersonRecord?]) {
        self.records = records
        count = records.count
        anyStored = records.contains { $0 != nil }
    }

    /// `count` keys, none of them stored.
    public init(noneOf count: Int) {
        records = []
        self.count = count
        anyStored = false
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(position: Int) -> PersonRecord? {
        precondition(position >= 0 && position < count, "StoredRecords: index out of range")
        return anyStored ? records[position] : nil
    }
}
