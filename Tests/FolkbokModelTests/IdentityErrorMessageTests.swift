import FolkbokModel
import XCTest

final class IdentityErrorMessageTests: XCTestCase {
    static let badInputs: [String] = [
        "121212-1213", "201212121213", withCheckDigit("20200230123"), withCheckDigit("20271231987"),
        withCheckDigit("19851010000"), withCheckDigit("19700092239"), "1985101098765", "19851010-98x5",
        "22790814AA02", "22790814AI01", nridWithCheckDigit("00341945BZ3"), nridWithCheckDigit("02000814AA0"),
        nridWithCheckDigit("23261124AA0"), "  4711081512345678 ", "",
    ]

    func test_errorMessages_neverContainDigitRunsOfTheInput() {
        for input in Self.badInputs {
            guard let error = parseError(input) else { return XCTFail("expected an error") }
            for run in digitRuns(input) where run.count >= 4 {
                XCTAssertFalse(error.message.contains(run), error.message)
            }
        }
    }

    func test_errorMessages_containNoDigitsAtAll() {
        var messages = Self.badInputs.compactMap { parseError($0)?.message }
        for value in ["", "121212-1212", "a b"] {
            do {
                _ = try IdentityParser.localReserve(value, issuer: "13", today: today)
            } catch {
                messages.append(error.message)
            }
        }
        XCTAssertEqual(messages.count, Self.badInputs.count + 3)
        for message in messages {
            XCTAssertFalse(message.contains(where: \.isNumber), message)
        }
    }

    func test_errorMessages_sayWhatIsWrong() {
        XCTAssertEqual(parseError("121212-1213")?.message, "check digit does not match")
        XCTAssertEqual(parseError(withCheckDigit("20200230123"))?.message, "not a real calendar date")
        XCTAssertEqual(parseError(withCheckDigit("20271231987"))?.message, "birth date is in the future")
        XCTAssertEqual(parseError("nonsense")?.message, "unrecognised identity format")
    }

    private func digitRuns(_ text: String) -> [String] {
        text.split(whereSeparator: { !$0.isNumber }).map(String.init)
    }
}
