import FolkbokXML
import XCTest

final class XMLReaderTests: XCTestCase {
    func test_elementsAttributesAndText_areReportedInOrder() {
        XCTAssertEqual(
            events("<a x=\"1\" y='2'>hi<b/><c></c></a>"),
            [
                .start("a", [XMLAttribute("x", "1"), XMLAttribute("y", "2")]), .text("hi"),
                .start("b", []), .end("b"), .start("c", []), .end("c"), .end("a"),
            ])
    }

    func test_declarationUTF8AndByteOrderMark_areAccepted() {
        XCTAssertEqual(
            events("<?xml version=\"1.0\" encoding=\"utf-8\" standalone='yes'?>\n<a>å</a>\n"),
            [.start("a", []), .text("å"), .end("a")])
        XCTAssertEqual(try readEvents([0xEF, 0xBB, 0xBF] + Array("<a/>".utf8)).get(), [.start("a", []), .end("a")])
    }

    func test_latin1Declaration_convertsToUTF8() {
        let bytes: [UInt8] =
            Array("<?xml version='1.0' encoding='ISO-8859-1'?>\n<a n='".utf8) + [0xC5]
            + Array("'>".utf8) + [0xE5, 0xE4, 0xF6] + Array("</a>".utf8)
        XCTAssertEqual(try readEvents(bytes).get(), [.start("a", [XMLAttribute("n", "Å")]), .text("åäö"), .end("a")])
        for cut in 1..<bytes.count {
            XCTAssertEqual(try readEvents(bytes, pieces: [cut, bytes.count]).get(), try readEvents(bytes).get())
        }
    }

    func test_otherEncodings_areRefused() {
        XCTAssertEqual(error("<?xml version='1.0' encoding='UTF-16'?><a/>")?.reason, .unsupportedEncoding)
        XCTAssertEqual(error("<?xml version='1.0' encoding='windows-1252'?><a/>")?.reason, .unsupportedEncoding)
        XCTAssertEqual(error("<?xml version='2.0'?><a/>")?.reason, .malformedDeclaration)
        XCTAssertEqual(error("<?xml encoding='UTF-8'?><a/>")?.reason, .malformedDeclaration)
        XCTAssertEqual(error("<a/>\n<?xml version='1.0'?>")?.reason, .misplacedDeclaration)
        XCTAssertEqual(error(" <?xml version='1.0'?><a/>")?.reason, .misplacedDeclaration)
    }

    func test_predefinedEntitiesAndCharacterReferences_areResolved() {
        XCTAssertEqual(
            events("<a v='&lt;&gt;&amp;&apos;&quot;'>&lt;&gt;&amp;&apos;&quot;&#65;&#x42;&#xe5;&#128512;</a>"),
            [
                .start("a", [XMLAttribute("v", "<>&'\"")]), .text("<>&'\"ABå😀"), .end("a"),
            ])
    }

    func test_badReferences_areRefused() {
        XCTAssertEqual(error("<a>&#0;</a>")?.reason, .invalidCharacterReference)
        XCTAssertEqual(error("<a>&#xD800;</a>")?.reason, .invalidCharacterReference)
        XCTAssertEqual(error("<a>&#x110000;</a>")?.reason, .invalidCharacterReference)
        XCTAssertEqual(error("<a>&#99999999999999;</a>")?.reason, .invalidCharacterReference)
        XCTAssertEqual(error("<a>&#1;</a>")?.reason, .invalidCharacterReference)
        XCTAssertEqual(error("<a>&#xFFFE;</a>")?.reason, .invalidCharacterReference)
        XCTAssertEqual(error("<a>&nbsp;</a>")?.reason, .undefinedEntity)
        XCTAssertEqual(error("<a>fish & chips</a>")?.reason, .malformedReference)
        XCTAssertEqual(error("<a>&#;</a>")?.reason, .malformedReference)
        XCTAssertEqual(error("<a>&#x;</a>")?.reason, .malformedReference)
        XCTAssertEqual(error("<a>&#12a;</a>")?.reason, .malformedReference)
        XCTAssertEqual(error("<a x='&amp'/>")?.reason, .malformedReference)
        XCTAssertEqual(error("<a x='a&b'/>")?.reason, .malformedReference)
        // Found by fuzz-xml: a reference longer than the lookahead read differently when cut.
        let long = Array(("<a>T&" + String(repeating: "l", count: 41) + "t;a>").utf8)
        XCTAssertEqual(readEvents(long, pieces: [2, 1], chunkSize: 2), readEvents(long))
        if case .failure(let e) = readEvents(long) {
            XCTAssertEqual(e.reason, .malformedReference)
        } else {
            XCTFail("accepted")
        }
    }

    func test_commentsAndProcessingInstructions_areSkippedAndTextAroundThemJoined() {
        XCTAssertEqual(
            events("<!-- c --><?pi data?>\n<a>x<!-- y -->z<?p?>w</a><!--e-->"),
            [.start("a", []), .text("xzw"), .end("a")])
        XCTAssertEqual(events("<a><!-- only --></a>"), [.start("a", []), .end("a")])
        XCTAssertEqual(error("<a><!-- a -- b --></a>")?.reason, .malformedComment)
        XCTAssertEqual(error("<a><!-- a ---></a>")?.reason, .malformedComment)
    }

    func test_cdata_isTextAsWritten() {
        XCTAssertEqual(events("<a>1<![CDATA[<b>&amp;]]]]>2</a>"), [.start("a", []), .text("1<b>&amp;]]2"), .end("a")])
        XCTAssertEqual(error("<![CDATA[x]]><a/>")?.reason, .textOutsideRoot)
        XCTAssertEqual(error("<a>x]]>y</a>")?.reason, .cdataEndInText)
    }

    func test_lineEnds_areNormalised() {
        XCTAssertEqual(
            events("<a x='1\r\n2\t3'>a\r\nb\rc</a>"),
            [.start("a", [XMLAttribute("x", "1 2 3")]), .text("a\nb\nc"), .end("a")])
        XCTAssertEqual(
            events("<a x='&#9;&#10;&#13;'>&#13;</a>"),
            [.start("a", [XMLAttribute("x", "\t\n\r")]), .text("\r"), .end("a")])
    }

    func test_badAttributes_areRefused() {
        XCTAssertEqual(error("<a x='a<b'/>")?.reason, .lessThanInAttributeValue)
        XCTAssertEqual(error("<a x='1' x='2'/>")?.reason, .duplicateAttribute)
        XCTAssertEqual(error("<a x=1/>")?.reason, .malformedTag)
        XCTAssertEqual(error("<a x='1'y='2'/>")?.reason, .malformedTag)
        XCTAssertEqual(error("<a x/>")?.reason, .malformedTag)
        XCTAssertEqual(error("<a x='1' / >")?.reason, .malformedTag)
        XCTAssertEqual(error("<a><b x='>'></a>")?.reason, .mismatchedEndTag)
    }

    func test_structure_isChecked() {
        XCTAssertEqual(error("<a><b></a></b>")?.reason, .mismatchedEndTag)
        XCTAssertEqual(error("<a/><b/>")?.reason, .multipleRoots)
        XCTAssertEqual(error("x<a/>")?.reason, .textOutsideRoot)
        XCTAssertEqual(error("<a/>x")?.reason, .textOutsideRoot)
        XCTAssertEqual(error("</a>")?.reason, .endTagWithoutStart)
        XCTAssertEqual(error("")?.reason, .noRootElement)
        XCTAssertEqual(error("  <!-- -->\n")?.reason, .noRootElement)
        XCTAssertEqual(error("<a>< b/></a>")?.reason, .malformedTag)
        XCTAssertEqual(error("<a><1/></a>")?.reason, .malformedTag)
        XCTAssertEqual(error("<a></ a>")?.reason, .malformedTag)
        XCTAssertEqual(error("<a><!foo></a>")?.reason, .malformedMarkup)
        XCTAssertEqual(events("<a></a  >\n \t"), [.start("a", []), .end("a")])
    }

    func test_doctypeAndEntityDeclarations_areRefused() {
        let laughs = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [
             <!ENTITY lol "lol">
             <!ENTITY lol2 "&lol;&lol;&lol;&lol;">
            ]>
            <lolz>&lol2;</lolz>
            """
        XCTAssertEqual(error(laughs), XMLError(.doctypeRefused, line: 2))
        XCTAssertEqual(error("<!DOCTYPE a SYSTEM 'http://example.com/a.dtd'><a/>")?.reason, .doctypeRefused)
        XCTAssertEqual(error("<a><!DOCTYPE a></a>")?.reason, .doctypeRefused)
        XCTAssertEqual(error("<a><!ENTITY x 'y'></a>")?.reason, .entityDeclarationRefused)
    }

    func test_invalidUTF8AndForbiddenCharacters_areRefusedWithTheirLine() {
        XCTAssertEqual(error(Array("<a>\n\n".utf8) + [0xFF] + Array("</a>".utf8)), XMLError(.invalidUTF8, line: 3))
        XCTAssertEqual(error(Array("<a>".utf8) + [0xC0, 0x80] + Array("</a>".utf8))?.reason, .invalidUTF8)
        XCTAssertEqual(error(Array("<a>".utf8) + [0xED, 0xA0, 0x80] + Array("</a>".utf8))?.reason, .invalidUTF8)
        XCTAssertEqual(error(Array("<a>".utf8) + [0xF4, 0x90, 0x80, 0x80] + Array("</a>".utf8))?.reason, .invalidUTF8)
        XCTAssertEqual(error(Array("<a x='".utf8) + [0xE5] + Array("'/>".utf8))?.reason, .invalidUTF8)
        XCTAssertEqual(error("<a>\u{01}</a>")?.reason, .forbiddenCharacter)
        XCTAssertEqual(error("<a>\u{FFFF}</a>")?.reason, .forbiddenCharacter)
    }

    func test_theFirstMalformation_isReportedEvenWhenALaterOneIsInTheSameChunk() {
        XCTAssertEqual(
            error(Array("<a>\n&bogus;\n".utf8) + [0xFF] + Array("</a>".utf8)), XMLError(.undefinedEntity, line: 2))
    }

    func test_errorLines_countFromOne_acrossChunks() {
        let doc = String(repeating: "<a>\n", count: 1) + String(repeating: "<b>x</b>\n", count: 500) + "<c></d></a>"
        for chunk in [1, 7, 64, 4096] {
            XCTAssertEqual(try? readEvents(Array(doc.utf8), chunkSize: chunk).get(), nil)
            if case .failure(let e) = readEvents(Array(doc.utf8), chunkSize: chunk) {
                XCTAssertEqual(e, XMLError(.mismatchedEndTag, line: 502))
            }
        }
        XCTAssertFalse(XMLError(.mismatchedEndTag, line: 502).description.contains("<"))
    }

    func test_everyCutOfADocument_isTruncated() {
        let doc = "<?xml version='1.0'?>\n<root a='1'><x>t&amp;ö😀</x><!-- c --><![CDATA[d]]><?p q?><y/></root>"
        let bytes = Array(doc.utf8)
        let rootStart = bytes.firstIndex(of: UInt8(ascii: "\n"))! + 1
        for n in (rootStart + 1)..<bytes.count {
            switch readEvents(Array(bytes[0..<n])) {
            case .success: XCTFail("a document cut at \(n) was accepted")
            case .failure(let e): XCTAssertEqual(e.reason, .truncated, "cut at \(n)")
            }
        }
        for n in 1..<rootStart where n != 2 {
            if case .failure(let e) = readEvents(Array(bytes[0..<n])) {
                XCTAssertTrue(e.reason == .truncated || e.reason == .noRootElement, "cut at \(n): \(e)")
            } else {
                XCTFail("a prolog alone was accepted")
            }
        }
    }

    func test_limits_boundDepthAttributesAndTokens() {
        let deep = String(repeating: "<a>", count: 10) + String(repeating: "</a>", count: 10)
        if case .failure(let e) = readEvents(Array(deep.utf8), limits: XMLLimits(maxDepth: 5)) {
            XCTAssertEqual(e.reason, .tooDeep)
        } else {
            XCTFail("too deep accepted")
        }
        let long = "<a>" + String(repeating: "x", count: 5000) + "</a>"
        if case .failure(let e) = readEvents(Array(long.utf8), chunkSize: 64, limits: XMLLimits(maxTokenBytes: 1000)) {
            XCTAssertEqual(e.reason, .tokenTooLong)
        } else {
            XCTFail("long text accepted")
        }
        if case .failure(let e) = readEvents(Array("<a x='1' y='2' z='3'/>".utf8), limits: XMLLimits(maxAttributes: 2))
        {
            XCTAssertEqual(e.reason, .tooManyAttributes)
        } else {
            XCTFail("too many attributes accepted")
        }
    }

    func test_viewsAPI_comparesNamesWithoutCopying() throws {
        var reader = XMLReader(source: XMLMemorySource(Array("<Namn typ='x'><Fornamn>Åsa</Fornamn></Namn>".utf8)))
        XCTAssertEqual(try reader.next(), .startElement)
        XCTAssertTrue(reader.name.equals("Namn"))
        XCTAssertFalse(reader.name.equals("Nam"))
        XCTAssertEqual(reader.attribute("typ")?.string, "x")
        XCTAssertNil(reader.attribute("other"))
        XCTAssertEqual(reader.depth, 1)
        XCTAssertEqual(try reader.next(), .startElement)
        XCTAssertEqual(try reader.next(), .text)
        XCTAssertEqual(reader.text.string, "Åsa")
        XCTAssertEqual(try reader.next(), .endElement)
        XCTAssertTrue(reader.name.equals("Fornamn"))
        XCTAssertEqual(try reader.next(), .endElement)
        XCTAssertEqual(try reader.next(), .endOfDocument)
        XCTAssertEqual(try reader.next(), .endOfDocument)
    }

    func test_fileSource_readsAFileAndReportsAMissingOne() throws {
        let path = NSTemporaryDirectory() + "xmlreader-\(getpid()).xml"
        let doc = "<a>" + String(repeating: "<b>åäö</b>", count: 10_000) + "</a>"
        try Data(doc.utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = try XMLReader(path: path, chunkSize: 1000)
        XCTAssertEqual(try reader.allEvents().count, 2 + 30_000)
        do {
            _ = try XMLReader(path: path + ".missing")
            XCTFail("a missing file opened")
        } catch {
            XCTAssertEqual(error.reason, .cannotOpen(errno: ENOENT))
            XCTAssertFalse(error.reason.isMalformation)
        }
    }
}
