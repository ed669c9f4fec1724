import FolkbokModel

/// Deterministic P4 details and P5 histories for synthetic record `i` (nil/empty for most, as in
/// a real store), using every shape: incomplete dates, both birth places, both related-person
/// kinds, every history field, non-ASCII text. Tests of the store, the codecs and the encoders
/// share it.
public enum P4Samples {
    public static func details(_ i: Int) -> PersonDetails? {
        guard i % 3 == 0 else { return nil }
        var d = PersonDetails()
        let codes = ["OG", "G", "Ä", "S", "RP", "SP", "EP"]
        if i % 2 == 0 {
            d.civilStatus = .init(
                code: codes[i % 7], date: i % 4 == 0 ? RegisterDate(iso: "2001-05") : RegisterDate(iso: "1999-12-31"))
        }
        if i % 5 != 1 {
            d.citizenships = (0..<(i % 3 + 1)).map {
                .init(country: ["SE", "FI", "NO"][$0], date: $0 == 1 ? RegisterDate(iso: "1987") : nil)
            }
        }
        if i % 4 != 2 {
            d.birthPlace =
                i % 2 == 0
                ? .sweden(county: "01", parish: i % 8 == 0 ? nil : "Täby") : .abroad(place: "Åbo", country: "FI")
        }
        if i % 7 == 3 { d.immigrationDate = RegisterDate(iso: "1990-06") }
        if i % 6 == 0 {
            d.relations = [
                .init(
                    id: .identity(Identity(kind: .personnummer, value: "191212121212")), type: .mother, from: nil,
                    to: nil),
                .init(
                    id: .birthTime("20200101-0123"), type: .child, from: RegisterDate(iso: "2020-01-01"),
                    to: RegisterDate(iso: "2038")),
                .init(
                    id: .identity(Identity(kind: .samordningsnummer, value: "199001712380")), type: .custodianOf,
                    from: nil, to: nil),
            ]
        }
        if i % 9 == 0 { d.referredTo = Identity(kind: .personnummer, value: "194911172296") }
        return d.isEmpty ? nil : d
    }

    public static func history(_ i: Int) -> [HistoryEntry] {
        guard i % 4 == 1 else { return [] }
        let day = CivilDate(year: 2026, month: 1 + i % 12, day: 1 + i % 28)!
        let all: [HistoryValue] = [
            .address(PostalAddress(careOf: nil, street: "Gamla vägen \(i)", postalCode: "11436", city: "Örebro")),
            .name(PersonName(given: "Märta Li", callName: "Li", middle: nil, surname: "Öberg")),
            .municipality("0180"),
            .foreignAddress(ForeignAddress(lines: ["Rue \(i)", ""], country: "FR")),
            .specialAddress(PostalAddress(careOf: "c/o Å", street: "Box 1", postalCode: nil, city: nil)),
        ]
        return (0..<(1 + i % 5)).map { HistoryEntry(value: all[($0 + i) % all.count], until: day) }
    }
}
