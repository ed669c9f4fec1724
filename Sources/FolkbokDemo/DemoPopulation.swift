import FolkbokModel
import Foundation

/// The demo population: one test person for each of Skatteverket's published test
/// personnummer (bundled `testpersonnummer.txt`, 41,493 numbers, born 1890–2024).
///
/// Guarantees:
/// - One record per valid line, in file order; ids are the 12-digit numbers as written, with
///   `kind` `.samordningsnummer` when the day is 61 or more (the current file has none).
///   Lines that are not 12 digits with a real date are skipped.
/// - Deterministic: each person is seeded only from its own number (SplitMix64 of the number),
///   so a person's data does not depend on file order or on the other lines.
/// - birthDate and sex come from the number (second-to-last digit odd = male).
/// - `test` is true, `version` 0, `region` is the county, `reserveLinks` empty.
/// - Implemented shares (independent draws per person): 30 % two given names (call name the
///   first 70 % of the time), 5 % a middle name, 1.5 % a c/o line, 8 % house number with a
///   letter; 0.5 % sekretess, 0.1 % skyddad; deceased: 99 % of those born before 1915, 90 % of
///   those born 1915–1929, 1 % of the others; 0.5 % of the living deregistered (80 % UV with an utlandsadress, else GN/AN/
///   OB/TA, or AS/GS/AN/OB for samordningsnummer); 0.3 % särskild postadress; 20 % of active
///   persons with contact details. Municipalities are weighted roughly by population.
///
/// Also Tolvan Tolvansson, 19121212-1212, the test person every Swedish developer knows (not in
/// Skatteverket's list), with an address and contact details so the examples show a full record.
public enum DemoPopulation {
    static func tolvan(today: CivilDate) -> PersonRecord {
        PersonRecord(
            id: Identity(kind: .personnummer, value: "191212121212"),
            name: PersonName(given: "Tolvan Sven", callName: "Tolvan", middle: nil, surname: "Tolvansson"),
            birthDate: CivilDate(year: 1912, month: 12, day: 12), sex: .male,
            address: PostalAddress(careOf: nil, street: "Tolvansgatan 12", postalCode: "12345", city: "STOCKHOLM"),
            county: "01", municipality: "0180", protection: .none, test: true, status: PersonStatus(), region: "01",
            contact: ContactDetails(
                email: "tolvan@example.se", phone: "+46701234567",
                consent: Consent(source: "1177", date: CivilDate(year: 2026, month: 1, day: 2)!), version: 1))
    }

    public static func make(today: CivilDate) -> [PersonRecord] {
        guard let url = Bundle.module.url(forResource: "testpersonnummer", withExtension: "txt"),
            let data = try? Data(contentsOf: url)
        else {
            preconditionFailure("bundled testpersonnummer.txt is missing")
        }
        let factory = PersonFactory(today: today, test: true)
        var people: [PersonRecord] = []
        people.reserveCapacity(data.count / 13 + 1)
        let bytes = [UInt8](data)
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 10 { end += 1 }
            var line = bytes[start..<end]
            if line.last == 13 { line = line.dropLast() }
            if let parts = Personnummer.decode(line) {
                let id = Identity(kind: parts.kind, value: String(decoding: line, as: UTF8.self))
                people.append(
                    factory.make(
                        id: id, birth: parts.birth, sex: parts.sex,
                        seed: factory.seed(for: parts.value)))
            }
            start = end + 1
        }
        people.append(tolvan(today: today))
        return people
    }
}
