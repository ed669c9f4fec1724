extension PersonRecord {
    /// This record as it replaces `old` on `day` (the UTC date of the change): its history is
    /// `old`'s history with, in front (newest first), an entry for each of name, address,
    /// specialAddress, foreignAddress and municipality that `old` held and this record holds
    /// differently. An identical value adds no entry, nor does a part `old` did not have. With
    /// no `old` (a new person) the record is returned as it is.
    ///
    /// Guarantees: the history of the result never depends on the history this record carried
    /// (an import never brings one; a write that copied `old` carries `old`'s), so applying the
    /// same replacement again gives the same record.
    public consuming func replacing(_ old: PersonRecord?, on day: CivilDate) -> PersonRecord {
        guard let old else { return self }
        var entries: [HistoryValue] = []
        if old.name != name && old.name != PersonName() { entries.append(.name(old.name)) }
        if let a = old.address, a != address { entries.append(.address(a)) }
        if let a = old.specialAddress, a != specialAddress { entries.append(.specialAddress(a)) }
        if let f = old.foreignAddress, f != foreignAddress { entries.append(.foreignAddress(f)) }
        if let m = old.municipality, m != municipality { entries.append(.municipality(m)) }
        var r = self
        r.history = entries.map { HistoryEntry(value: $0, until: day) } + old.history
        return r
    }
}
