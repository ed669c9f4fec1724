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
        return PersonRow(
            key: key, version: r.version,
            given: strings.intern(r.name.given), callName: strings.intern(r.name.callName),
            middle: strings.intern(r.name.middle), surname: strings.intern(r.name.surname),
            careOf: strings.intern(r.address?.careOf), street: strings.intern(r.address?.street),
            postalCode: strings.intern(r.address?.postalCode), city: strings.intern(r.address?.city),
            county: strings.intern(r.county), municipality: strings.intern(r.municipality),
            region: strings.intern(r.region),
            birthDate: r.birthDate?.packed ?? 0, statusDate: r.status.date?.packed ?? 0,
            sex: r.sex?.packed ?? 0, protection: r.protection.rawValue, state: r.status.state.rawValue,
            reason: r.status.reason?.packed ?? 0, flags: flags)
    }

    mutating func setSideTables(_ r: PersonRecord, key: UInt64) {
        specialAddresses[key] = r.specialAddress
        foreignAddresses[key] = r.foreignAddress
        contacts[key] = r.contact
        reserveLinks[key] = r.reserveLinks.isEmpty ? nil : r.reserveLinks
    }

    func unpack(_ row: PersonRow, id: Identity) -> PersonRecord {
        let s = strings
        let address = row.flags.contains(.hasAddress)
            ? PostalAddress(careOf: s.string(row.careOf), street: s.string(row.street),
                            postalCode: s.string(row.postalCode), city: s.string(row.city))
            : nil
        return PersonRecord(
            id: id,
            name: PersonName(given: s.string(row.given), callName: s.string(row.callName),
                             middle: s.string(row.middle), surname: s.string(row.surname)),
            birthDate: CivilDate(packed: row.birthDate), sex: Sex(packed: row.sex),
            address: address,
            specialAddress: row.flags.contains(.hasSpecialAddress) ? specialAddresses[row.key] : nil,
            foreignAddress: row.flags.contains(.hasForeignAddress) ? foreignAddresses[row.key] : nil,
            county: s.string(row.county), municipality: s.string(row.municipality),
            protection: Protection(rawValue: row.protection) ?? .none,
            test: row.flags.contains(.test),
            status: PersonStatus(state: LifeState(rawValue: row.state) ?? .active,
                                 date: CivilDate(packed: row.statusDate),
                                 reason: DeregistrationReason(packed: row.reason)),
            region: s.string(row.region),
            contact: row.flags.contains(.hasContact) ? contacts[row.key] : nil,
            reserveLinks: row.flags.contains(.hasReserveLinks) ? reserveLinks[row.key] ?? [] : [],
            version: row.version)
    }
}
