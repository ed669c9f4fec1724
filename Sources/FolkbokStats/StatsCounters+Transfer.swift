import FolkbokStorage

/// Moving counts between owners: merge, deltas for the write-ahead log, and the durable form.
extension StatsCounters {
    /// Adds every count of `other`, keeping each count's state: `other`'s pending counts become
    /// pending here (so they are in this value's next delta) and its settled counts settled.
    /// Use it to fold a closing connection's counters into a longer-lived owner, or to combine
    /// owners into one.
    /// - Complexity: O(size of `other`'s table + number of its cells).
    public mutating func merge(_ other: StatsCounters) {
        let remap = TableRemap(from: other.table, into: &table)
        settled.addLookups(remap.cells(other.settled.allLookups()), table: table)
        other.settled.forEachSession { hour, customer, user, totals in
            settled.addSessions(
                totals, hour: hour, customer: remap.strings[Int(customer)], user: remap.strings[Int(user)])
        }
        other.pending.forEachLookup { hour, cell, n in
            pending.add(n, key: PendingCounts.key(hour: hour, cell: remap.cell(cell)))
        }
        for (key, totals) in other.pending.sessions {
            let mapped = SessionKey(
                hour: key.hour, customer: remap.strings[Int(key.customer)], user: remap.strings[Int(key.user)])
            pending.addSession(totals, key: mapped)
        }
    }

    /// Takes the counts recorded (or merged in as pending) since the last drain, as a
    /// self-contained delta to write to the log. Afterwards they are settled here (or dropped
    /// when `retainsDrained` is false) and the next delta starts empty.
    /// - Complexity: O(cells recorded since the last drain), not O(all counts).
    public mutating func drainDelta() -> StatsDelta {
        var maps = DeltaMaps()
        swap(&maps, &deltaMaps)
        var builder = BatchBuilder(source: table, capacity: pending.cellCount, maps: consume maps)
        var cells: [LookupCell] = []
        cells.reserveCapacity(retainsDrained ? pending.cellCount : 0)
        pending.forEachLookup { hour, cell, n in
            builder.addLookup(hour: hour, cell: cell, count: n)
            if retainsDrained { cells.append(LookupCell(hour: hour, cell: cell, count: n)) }
        }
        for (key, totals) in pending.sessions { builder.addSession(key, totals) }
        if retainsDrained {
            settled.addLookups(cells, table: table)
            for (key, totals) in pending.sessions {
                settled.addSessions(totals, hour: key.hour, customer: key.customer, user: key.user)
            }
        }
        pending.removeAll()
        deltaMaps = builder.maps
        return StatsDelta(batch: builder.build())
    }

    /// Adds a delta's counts as settled counts (a delta is already in the log, so applying it
    /// does not make it pending again). Replaying every delta logged after a snapshot onto the
    /// decoded snapshot gives back the counts exactly.
    public mutating func apply(_ delta: StatsDelta) {
        absorb(delta.batch)
    }

    /// The durable form of every count here, pending and settled (see `StatsCodec` for the
    /// layout). Drain before encoding a snapshot: a pending count encoded here would be counted
    /// again when its delta, logged later, is replayed onto the snapshot.
    /// - Complexity: O(cells + table).
    public func encoded() -> [UInt8] {
        var batch = CountBatch(table: table)
        batch.lookups = settled.allLookups()
        pending.forEachLookup { hour, cell, n in batch.lookups.append(LookupCell(hour: hour, cell: cell, count: n)) }
        settled.forEachSession { hour, customer, user, totals in
            batch.sessions.append(
                SessionCell(key: SessionKey(hour: hour, customer: customer, user: user), totals: totals))
        }
        for (key, totals) in pending.sessions { batch.sessions.append(SessionCell(key: key, totals: totals)) }
        return StatsCodec.encode(batch, kind: .counters)
    }

    /// Counters holding exactly the counts `bytes` encode, all settled.
    /// - Throws: `CodecError` naming what is wrong (truncation, magic, version, checksum,
    ///   an id or code out of range); never a partial result.
    public init(decoding bytes: [UInt8], retainsDrained: Bool = true) throws(CodecError) {
        let batch = try StatsCodec.decode(bytes, kind: .counters)
        self.init(retainsDrained: retainsDrained)
        absorb(batch)
    }

    private mutating func absorb(_ batch: CountBatch) {
        let remap = TableRemap(from: batch.table, into: &table)
        settled.addLookups(remap.cells(batch.lookups), table: table)
        for c in batch.sessions {
            settled.addSessions(
                c.totals, hour: c.key.hour, customer: remap.strings[Int(c.key.customer)],
                user: remap.strings[Int(c.key.user)])
        }
    }
}
