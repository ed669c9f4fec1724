import FolkbokModel
import XCTest

/// Independent checks used by the tests (deliberately not sharing code with the generators).
enum RecordChecks {
    static let today = CivilDate(year: 2026, month: 3, day: 1)!

    /// Luhn over the last ten digits of a 12-digit number, written from scratch.
    static func luhnValid(_ twelve: String) -> Bool {
        let digits = twelve.compactMap { $0.wholeNumberValue }
        guard digits.count == 12 else { return false }
        let ten = Array(digits.suffix(10))
        var sum = 0
        for (i, d) in ten.enumerated() {
            let weighted = i % 2 == 0 ? d * 2 : d
            sum += weighted / 10 + weighted % 10
        }
        return sum % 10 == 0
    }

    /// The date in a 12-digit number, if it is a real date (samordningsnummer day − 60).
    static func birthDate(_ twelve: String) -> (year: Int, month: Int, day: Int)? {
        guard twelve.count == 12, let n = Int(twelve) else { return nil }
        let year = n / 100_000_000, month = n / 1_000_000 % 100
        var day = n / 10_000 % 100
        if day > 60 { day -= 60 }
        let monthDays = [
            31, (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28,
            31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
        ]
        guard (1...12).contains(month), day >= 1, day <= monthDays[month - 1] else { return nil }
        return (year, month, day)
    }

    /// The structural invariants every generated record must satisfy.
    static func assertConsistent(_ p: PersonRecord, file: StaticString = #filePath, line: UInt = #line) {
        let id = p.id.value
        XCTAssertEqual(p.version, 0, id, file: file, line: line)
        guard let birth = p.birthDate, let b = birthDate(id) else {
            return XCTFail("no birth date for \(id)", file: file, line: line)
        }
        XCTAssertEqual([birth.year, birth.month, birth.day], [b.year, b.month, b.day], id, file: file, line: line)
        let sexDigit = id.utf8.reversed().dropFirst().first.map { Int($0) - 48 } ?? 0
        XCTAssertEqual(p.sex, sexDigit % 2 == 1 ? .male : .female, id, file: file, line: line)
        if let county = p.county, let municipality = p.municipality {
            XCTAssertEqual(String(municipality.prefix(2)), county, id, file: file, line: line)
            XCTAssertEqual(municipality.count, 4, id, file: file, line: line)
        } else {
            XCTFail("no county/municipality for \(id)", file: file, line: line)
        }
        if let address = p.address {
            XCTAssertEqual(address.postalCode?.count, 5, id, file: file, line: line)
            XCTAssertTrue(address.postalCode?.allSatisfy(\.isNumber) ?? false, id, file: file, line: line)
            XCTAssertEqual(address.city, address.city?.uppercased(), id, file: file, line: line)
        }
        let given = p.name.given?.split(separator: " ").map(String.init) ?? []
        XCTAssertFalse(given.isEmpty, id, file: file, line: line)
        XCTAssertTrue(given.contains(p.name.callName ?? "<none>"), "\(id): \(p.name)", file: file, line: line)
        XCTAssertNotNil(p.name.surname, id, file: file, line: line)
        if p.status.state != .active {
            guard let date = p.status.date?.civilDate else {
                return XCTFail("no status date \(id)", file: file, line: line)
            }
            XCTAssertGreaterThanOrEqual(date, birth, id, file: file, line: line)
            XCTAssertLessThanOrEqual(date, today, id, file: file, line: line)
        }
        if p.status.state == .deregistered {
            XCTAssertNotNil(p.status.reason, id, file: file, line: line)
            XCTAssertEqual(p.status.reason == .UV, p.foreignAddress != nil, id, file: file, line: line)
        }
        if let contact = p.contact {
            XCTAssertEqual(contact.version, 1, id, file: file, line: line)
            XCTAssertTrue(contact.email?.allSatisfy { $0.isASCII } ?? false, id, file: file, line: line)
            XCTAssertTrue(contact.email?.hasSuffix("@example.se") ?? false, id, file: file, line: line)
            XCTAssertEqual(contact.phone?.count, 12, id, file: file, line: line)
            XCTAssertTrue(contact.phone?.hasPrefix("+4670") ?? false, id, file: file, line: line)
            XCTAssertTrue(["1177", "Mina sidor"].contains(contact.consent.source), id, file: file, line: line)
            XCTAssertTrue((2024...2026).contains(contact.consent.date.year), id, file: file, line: line)
            XCTAssertLessThanOrEqual(contact.consent.date, today, id, file: file, line: line)
        }
    }
}
