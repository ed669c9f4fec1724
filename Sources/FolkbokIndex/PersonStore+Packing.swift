import FolkbokModel

extension PersonStore {
    mutating func pack(_ r: PersonRecord, key: UInt64) -> PersonRow {
        var flags: PersonRow.Flags = []
        if r.test { flags.insert(.test) }
        if r.address != nil { flags.insert(.hasAddress) }
        if r.specialAddress != nil { flags.insert(.hasSpecialAddress) }
        if r.foreignAddress != nil { flags.insert(.hasForeignAddress) }
        if r.contact != nil { flags.insert(.hasContact) }
        if !r.reserveLinks.isEmpty { flags.insert(.hasReserveLinks) }
        if let d = r.details, !d.isEmpty { flags.insert(.hasDetails) }
        if !r.history.isEmpty { flags.insert(.hasHistory) }
        return PersonRow(
            key: key, version: r.version,
            given: strings.intern(r.name.given), callName: strings.intern(r.name.callName),
            middle: strings.intern(r.name.middle), surname: strings.intern(r.name.surname),
            careOf: strings.intern(r.address?.careOf), street: strings.intern(r.address?.street),
            postalCode: strings.intern(r.address?.postalCode), city: strings.intern(r.address?.city),
            birthDate: r.birthDate?.packed ?? 0, statusDate: r.status.date?.packed ?? 0,
            county: code(r.county), municipality: code(r.municipality), region: code(r.region),
            sex: r.sex?.packed ?? 0, protection: r.protection.rawValue, state: r.status.state.rawValue,
            reason: r.status.reason?.packed ?? 0, flags: flags)
    }

    mutating func code(_ text: String?) -> UInt16 {
        let id = codes.intern(text)
        precondition(id <= UInt16.max, "more than 65,535 distinct county, municipality and region codes")
        return UInt16(id)
    }

    /// Keeps the record's rare parts in the side tables under `key`, and removes the parts it
    /// lacks. `isNew`: no row has `key` yet, so no side table holds it (they hold only rows' keys) and
    /// the parts the record lacks need no removal: a first import's upsert then touches no
    /// side table at all.
    mutating func setSideTables(_ r: PersonRecord, key: UInt64, isNew: Bool) {
        if !isNew || r.specialAddress != nil { specialAddresses[key] = r.specialAddress }
        if !isNew || r.foreignAddress != nil { foreignAddresses[key] = r.foreignAddress }
        if !isNew || r.contact != nil {
            contacts[key] = r.contact.map {
                ContactRow(
                    email: strings.intern($0.email), phone: strings.intern($0.phone),
                    source: strings.intern($0.consent.source),
                    consentDate: $0.consent.date.packed, version: $0.version)
            }
        }
        if !isNew || !r.reserveLinks.isEmpty { reserveLinks[key] = r.reserveLinks.isEmpty ? nil : r.reserveLinks }
        if !isNew || r.reserve != nil { reserves[key] = r.reserve.map { ReserveEntry(id: r.id, state: $0) } }
        if !isNew || !r.history.isEmpty { setHistory(r.history, key: key) }
    }

    /// Replaces the history kept for `key`, keeping `historyEntryCount` true.
    mutating func setHistory(_ history: [HistoryEntry], key: UInt64) {
        let old = history.isEmpty ? histories.removeValue(forKey: key) : histories.updateValue(history, forKey: key)
        historyEntryCount += history.count - (old?.count ?? 0)
    }

    func unpack(_ row: PersonRow, id: Identity) -> PersonRecord {
        let s = strings
        let address =
            row.flags.contains(.hasAddress)
            ? PostalAddress(
                careOf: s.string(row.careOf), street: s.string(row.street),
                postalCode: s.string(row.postalCode), city: s.string(row.city))
            : nil
        return PersonRecord(
            id: id,
            name: PersonName(
                given: s.string(row.given), callName: s.string(row.callName),
                middle: s.string(row.middle), surname: s.string(row.surname)),
            birthDate: CivilDate(packed: row.birthDate), sex: Sex(packed: row.sex),
            address: address,
            specialAddress: row.flags.contains(.hasSpecialAddress) ? specialAddresses[row.key] : nil,
            foreignAddress: row.flags.contains(.hasForeignAddress) ? foreignAddresses[row.key] : nil,
            county: codes.string(UInt32(row.county)), municipality: codes.string(UInt32(row.municipality)),
            protection: Protection(rawValue: row.protection) ?? .none,
            test: row.flags.contains(.test),
            status: PersonStatus(
                state: LifeState(rawValue: row.state) ?? .active,
                date: RegisterDate(packed: row.statusDate),
                reason: DeregistrationReason(packed: row.reason)),
            region: codes.string(UInt32(row.region)),
            contact: row.flags.contains(.hasContact)
                ? contacts[row.key].map { c in
                    ContactDetails(
                        email: s.string(c.email), phone: s.string(c.phone),
                        consent: Consent(source: s.string(c.source) ?? "", date: CivilDate(packed: c.consentDate)!),
                        version: c.version)
                } : nil,
            reserveLinks: row.flags.contains(.hasReserveLinks) ? reserveLinks[row.key] ?? [] : [],
            reserve: reserves[row.key]?.state,
            details: row.flags.contains(.hasDetails) ? details.details(at: row.detailAt) : nil,
            history: row.flags.contains(.hasHistory) ? histories[row.key] ?? [] : [],
            version: row.version)
    }
}
