import FolkbokModel

/// The in-memory person register of one shard: packed rows, an open-addressing index on the
/// identity key, interned strings and side tables for the rare parts of a record.
///
/// Guarantees: `record(for:)` returns exactly what the last `upsert` stored for that key (every
/// field round-trips); keys are unique; removal keeps every other record findable. No I/O.
/// - Complexity: `upsert`, `remove` and `record(for:)` are O(1) expected plus the record's size.
public struct PersonStore: Sendable {
    var rows: [PersonRow] = []
    var index = KeyIndex()
    var strings = StringPool()
    /// County, municipality and region codes: a handful of distinct values, so 16-bit ids.
    var codes = StringPool()
    var specialAddresses: [UInt64: PostalAddress] = [:]
    var foreignAddresses: [UInt64: ForeignAddress] = [:]
    var contacts: [UInt64: ContactRow] = [:]
    var reserveLinks: [UInt64: [Identity]] = [:]
    /// Reserve identities' own records: the identity (local ones cannot be rebuilt from the
    /// key) and the link state.
    var reserves: [UInt64: ReserveEntry] = [:]
    /// Profile-P4 details, for the persons who have any (never an empty value), found by the
    /// rows' `detailAt`.
    var details = DetailArena()
    /// P5 histories, newest first, for the persons who have one (never an empty list).
    var histories: [UInt64: [HistoryEntry]] = [:]
    /// Entries in `histories`, for `footprintBytes`.
    var historyEntryCount = 0
    /// Secondary indexes for `search` (PersonStore+Search.swift).
    var search = SearchIndex()

    public init() {}

    public var count: Int { rows.count }

    /// Approximate bytes held (rows, index, strings; side tables estimated).
    public var footprintBytes: Int {
        rows.capacity * MemoryLayout<PersonRow>.stride + index.footprintBytes + strings.footprintBytes
            + codes.footprintBytes + contacts.capacity * 40
            + (specialAddresses.count + foreignAddresses.count + reserveLinks.count + reserves.count) * 96
            + details.footprintBytes + histories.count * 64 + historyEntryCount * 128
            + search.footprintBytes
    }

    /// The search index's part of `footprintBytes`.
    public var searchFootprintBytes: Int { search.footprintBytes }

    public enum UpsertOutcome: Sendable, Equatable { case inserted, updated }

    /// Stores `record` under `key`, replacing any previous record with that key.
    @discardableResult
    public mutating func upsert(_ record: PersonRecord, key: IdentityKey) -> UpsertOutcome {
        var row = pack(record, key: key.raw)
        let stored = index.row(for: key.raw)
        setSideTables(record, key: key.raw, isNew: stored == nil)
        if row.flags.contains(.hasDetails), let d = record.details { row.detailAt = details.append(d) }
        if let at = stored {
            let old = rows[Int(at)]
            rows[Int(at)] = row
            search.didUpsert(at: at, old: old, rows: rows, strings: strings)
            if old.flags.contains(.hasDetails) { releaseDetails(at: old.detailAt) }
            return .updated
        }
        index.set(key.raw, row: UInt32(rows.count))
        rows.append(row)
        search.didUpsert(at: UInt32(rows.count - 1), old: nil, rows: rows, strings: strings)
        return .inserted
    }

    /// Removes the record under `key`; returns whether there was one.
    @discardableResult
    public mutating func remove(_ key: IdentityKey) -> Bool {
        guard let at = index.remove(key.raw) else { return false }
        let last = rows.count - 1
        let victim = rows[Int(at)]
        if Int(at) != last {
            rows[Int(at)] = rows[last]
            index.set(rows[Int(at)].key, row: at)
        }
        rows.removeLast()
        search.didRemove(victim, at: at, moved: Int(at) != last, rows: rows, strings: strings)
        if victim.flags.contains(.hasDetails) { releaseDetails(at: victim.detailAt) }
        specialAddresses[key.raw] = nil
        foreignAddresses[key.raw] = nil
        contacts[key.raw] = nil
        reserveLinks[key.raw] = nil
        reserves[key.raw] = nil
        setHistory([], key: key.raw)
        return true
    }

    /// A row no longer refers to the details at `at`; compacts the arena once released blobs
    /// outweigh the live ones (amortized O(1) per change).
    private mutating func releaseDetails(at: UInt32) {
        details.release(at: at)
        if details.needsCompaction { details.compact(rows: &rows) }
    }

    public func contains(_ key: IdentityKey) -> Bool { index.row(for: key.raw) != nil }

    /// The record under `key`, or nil. The record's `id` is decoded from the key (or, for a
    /// local reserve identity, kept beside it).
    public func record(for key: IdentityKey) -> PersonRecord? {
        guard let at = index.row(for: key.raw), let id = identity(of: key) else { return nil }
        return unpack(rows[Int(at)], id: id)
    }

    func identity(of key: IdentityKey) -> Identity? { key.identity ?? reserves[key.raw]?.id }

    /// Keys of every record whose `region` equals `region` (nil: records without a region).
    public func keys(inRegion region: String?) -> [IdentityKey] {
        var code = 0 as UInt16
        if let region {
            guard let id = codes.id(of: region) else { return [] }
            code = UInt16(id)
        }
        return rows.lazy.filter { $0.region == code }.map { IdentityKey(raw: $0.key) }
    }

    /// Keys and versions of the records of `region` changed after `version` (all: 0), in no
    /// particular order.
    public func changes(inRegion region: String, after version: UInt64) -> [(version: UInt64, key: IdentityKey)] {
        guard let id = codes.id(of: region) else { return [] }
        let code = UInt16(id)
        return rows.lazy.filter { $0.region == code && $0.version > version }.map {
            ($0.version, IdentityKey(raw: $0.key))
        }
    }

    /// After a bulk load: releases spare capacity (rows, key index, string pools and P4 arena
    /// sized to what they hold) and rebuilds the whole search index from the rows (exact lists, no stale entries, folded
    /// terms of only the strings in use), unless it is exact already (rebuilt with no change
    /// since); a deferred index is built. With `movingOutOfHeapArenas` (after an import), every
    /// large array is reallocated as well (`Array.moveOutOfHeapArenas`) and the side tables
    /// are rebuilt at their counts' size with their strings copied (FreshCopies.swift), which
    /// a store loaded from a snapshot does not need. O(rows); call once per bulk load, not per
    /// batch.
    public mutating func trimAndRebuildSearchIndex(movingOutOfHeapArenas: Bool = false) {
        if movingOutOfHeapArenas {
            rows.moveOutOfHeapArenas()
            index.moveOutOfHeapArenas()
            details.moveOutOfHeapArenas()
            strings.moveOutOfHeapArenas()
            codes.moveOutOfHeapArenas()
            specialAddresses.moveOutOfHeapArenas { $0.freshCopy }
            foreignAddresses.moveOutOfHeapArenas { $0.freshCopy }
            contacts.moveOutOfHeapArenas()
            reserveLinks.moveOutOfHeapArenas { $0.map(\.freshCopy) }
            reserves.moveOutOfHeapArenas()  // issued by calls, not imports
            histories.moveOutOfHeapArenas { $0.map(\.freshCopy) }
        } else {
            rows.releaseSpareCapacity()
            index.trim()
            details.releaseSpareCapacity()
            strings.releaseSpareCapacity()
            codes.releaseSpareCapacity()
        }
        if !search.isExact { search.rebuild(rows: rows, strings: strings) }
    }

    /// Whether the search index is as a rebuild would make it (tests check that an import
    /// does not rebuild it twice).
    public var searchIndexIsExact: Bool { search.isExact }

    /// False while the search index is deferred (a store loaded from an image, or one whose
    /// index a bulk load dropped, until `trimAndRebuildSearchIndex`).
    public var searchIndexIsBuilt: Bool { search.isBuilt }

    /// Drops the search index until the next `trimAndRebuildSearchIndex`: upserts and removals
    /// no longer keep it current (a bulk load that rebuilds it at its end). `search` answers
    /// the same meanwhile (see there).
    public mutating func deferSearchIndex() { search = .deferred() }

    /// Every key in the store, in no particular order.
    public var allKeys: [IdentityKey] { rows.map { IdentityKey(raw: $0.key) } }

    /// Whether `predicate` holds for every key (building no array of them).
    public func allKeys(satisfy predicate: (IdentityKey) -> Bool) -> Bool {
        rows.allSatisfy { predicate(IdentityKey(raw: $0.key)) }
    }
}

extension PersonStore {
    /// Every record with its key, in storage order (for snapshots).
    /// - Complexity: O(1) to create; each element is unpacked as it is read.
    public var entries: some Sequence<(IdentityKey, PersonRecord)> {
        rows.lazy.compactMap { row in
            self.identity(of: IdentityKey(raw: row.key)).map { (IdentityKey(raw: row.key), self.unpack(row, id: $0)) }
        }
    }
}
