import FolkbokModel
import XCTest

/// The "today" most tests run on, injected rather than read from a clock.
let today = CivilDate(year: 2026, month: 11, day: 23)!

/// Appends the Luhn check digit to a personal number written without it, in any spelling:
/// the check digit covers the last nine digits (`YYMMDDNNN`), separators skipped.
func withCheckDigit(_ body: String) -> String {
    let digits = String(body.filter(\.isASCII).filter(\.isNumber).suffix(9))
    return body + String(Luhn.checkDigit(for: digits)!)
}

/// Appends the NRID-variant check digit to the first eleven characters of an NRID.
func nridWithCheckDigit(_ eleven: String) -> String {
    eleven + String(Luhn.nationalReserveCheckDigit(for: eleven)!)
}

/// The error `parse` throws, or nil when it succeeds.
func parseError(_ text: String, on day: CivilDate = today) -> IdentityError? {
    do {
        _ = try IdentityParser.parse(text, today: day)
        return nil
    } catch {
        return error
    }
}

func assertParses(
    _ text: String, to value: String, kind: IdentityKind, on day: CivilDate = today,
    file: StaticString = #filePath, line: UInt = #line
) {
    do {
        let identity = try IdentityParser.parse(text, today: day)
        XCTAssertEqual(identity.value, value, file: file, line: line)
        XCTAssertEqual(identity.kind, kind, file: file, line: line)
    } catch {
        XCTFail("expected \(value), got error \(error.message)", file: file, line: line)
    }
}

func assertFails(
    _ text: String, with expected: IdentityError, on day: CivilDate = today,
    file: StaticString = #filePath, line: UInt = #line
) {
    XCTAssertEqual(parseError(text, on: day)?.message, expected.message, "input \(text)", file: file, line: line)
}

typealias SeededGenerator = SplitMix64
