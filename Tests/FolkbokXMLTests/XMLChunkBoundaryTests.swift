import FolkbokXML
import XCTest

/// The same bytes split anywhere read to the same events (STYLE.md §15).
final class XMLChunkBoundaryTests: XCTestCase {
    let document =
        "\u{FEFF}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n<!-- head -->\r\n<Navet a=\"x &amp; y\" b='&#229;'>"
        + "<Namn>Åsa-Örjan 😀 &lt;&#x1F600;</Namn>\r\n  <c><![CDATA[a]]b<c>]]>tail<!-- mid -->end</c>"
        + "<?pi some data?><d/><e f=\"1\"\tg='2'\n/></Navet>\n<!-- tail -->\n"

    func test_splitAtEveryOffset_givesTheSameEvents() throws {
        let bytes = Array(document.utf8)
        let whole = try readEvents(bytes).get()
        XCTAssertEqual(whole.count, 13)
        for cut in 1..<bytes.count {
            XCTAssertEqual(try readEvents(bytes, pieces: [cut, bytes.count]).get(), whole, "cut at \(cut)")
        }
        for size in 1...9 {
            XCTAssertEqual(try readEvents(bytes, pieces: [size]).get(), whole, "pieces of \(size)")
            XCTAssertEqual(try readEvents(bytes, chunkSize: size).get(), whole, "chunks of \(size)")
        }
    }

    func test_errorsSplitAtEveryOffset_areTheSameErrors() {
        for bad in [
            "<a>\n<b>&bad;</b></a>", "<a>\n\n<b></c></a>", "<a>\n<!-- x -- y --></a>", "<a>\n<b x='1' x='2'/></a>",
        ] {
            let bytes = Array(bad.utf8)
            guard case .failure(let whole) = readEvents(bytes) else { return XCTFail("accepted") }
            for cut in 1..<bytes.count {
                guard case .failure(let e) = readEvents(bytes, pieces: [cut, bytes.count]) else {
                    return XCTFail("accepted")
                }
                XCTAssertEqual(e, whole, "cut at \(cut)")
            }
        }
        let invalid = Array("<a>\n<b>".utf8) + [0xE5, 0xE4] + Array("</b></a>".utf8)
        for cut in 1..<invalid.count {
            guard case .failure(let e) = readEvents(invalid, pieces: [cut, invalid.count]) else {
                return XCTFail("accepted")
            }
            XCTAssertEqual(e, XMLError(.invalidUTF8, line: 2), "cut at \(cut)")
        }
    }
}
