import FolkbokXML
import XCTest

/// Random documents written with a small generator read back to the events it meant.
final class XMLRoundTripTests: XCTestCase {
    func test_generatedDocuments_readBackToTheSameEvents() throws {
        for seed in 1...300 {
            var generator = RandomDocument(seed: UInt64(seed))
            let (bytes, expected) = generator.make()
            let pieces = [1 + Int(seed % 13), 1 + Int(seed % 101)]
            let got = readEvents(bytes, pieces: seed % 2 == 0 ? pieces : [], chunkSize: seed % 3 == 0 ? 16 : 4096)
            switch got {
            case .success(let events): XCTAssertEqual(events, expected, "seed \(seed)")
            case .failure(let e): XCTFail("seed \(seed): \(e)\n\(String(decoding: bytes, as: UTF8.self))")
            }
        }
    }
}

/// Writes a random document in UTF-8 or ISO-8859-1 with every kind of markup the reader folds
/// (entities, character references, CDATA, comments, processing instructions, both quotes,
/// empty-element tags), and the events a reader must give for it.
struct RandomDocument {
    var state: UInt64
    var latin1 = false
    var out: [UInt8] = []
    var events: [XMLEvent] = []

    init(seed: UInt64) { state = seed &* 0x9E37_79B9_7F4A_7C15 | 1 }

    mutating func below(_ n: Int) -> Int {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Int(state % UInt64(n))
    }

    static let names = ["a", "b", "Namn", "x-y", "ns:el", "Folkbokforingspost", "é", "_z.1"]
    static let alphabet: [Character] = [
        "a", "Z", " ", "<", ">", "&", "\"", "'", "\t", "\n", "\r", "å", "Ö", "é", "😀", "]", "€", "1",
    ]

    mutating func randomString(max: Int) -> String {
        String((0..<below(max + 1)).map { _ in RandomDocument.alphabet[below(RandomDocument.alphabet.count)] })
    }

    mutating func make() -> ([UInt8], [XMLEvent]) {
        latin1 = below(3) == 0
        if latin1 {
            write("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n")
        } else if below(2) == 0 {
            write("<?xml version='1.0' encoding='UTF-8'?>")
        }
        if below(2) == 0 { write("<!-- prolog --><?app data?>\n") }
        element(depth: 0)
        if below(2) == 0 { write("\n<!-- after -->\n") }
        return (out, events)
    }

    mutating func element(depth: Int) {
        let name = RandomDocument.names[below(RandomDocument.names.count)]
        var attributes: [XMLAttribute] = []
        var used = Set<String>()
        for _ in 0..<below(4) {
            let attributeName = RandomDocument.names[below(RandomDocument.names.count)]
            guard used.insert(attributeName).inserted else { continue }
            attributes.append(XMLAttribute(attributeName, randomString(max: 6)))
        }
        write("<" + name)
        for a in attributes {
            write(" " + a.name + "=")
            if below(2) == 0 {
                write("\"" + escape(XMLEscaping.attribute(a.value)) + "\"")
            } else {
                write("'" + escape(XMLEscaping.attribute(a.value).replacingOccurrences(of: "'", with: "&apos;")) + "'")
            }
        }
        events.append(.start(name, attributes))
        let childCount = depth < 4 ? below(4) : 0
        if childCount == 0 && below(2) == 0 {
            write("/>")
            events.append(.end(name))
            return
        }
        write(">")
        for i in 0...childCount {
            text()
            if i < childCount { element(depth: depth + 1) }
        }
        write("</" + name + ">")
        events.append(.end(name))
    }

    /// A text run in one to three pieces, each escaped, in CDATA, or behind a comment.
    mutating func text() {
        var whole = ""
        for _ in 0..<below(4) {
            let piece = randomString(max: 5)
            switch below(4) {
            case 0
            where !piece.contains("\r") && !piece.contains("]")
                && (!latin1 || piece.unicodeScalars.allSatisfy { $0.value <= 0xFF }):
                write("<![CDATA[" + piece + "]]>")
            case 1:
                write("<!-- c -->" + escape(XMLEscaping.text(piece)))
            case 2:
                write(escape(XMLEscaping.text(piece)) + "<?p x?>")
            default:
                write(escape(XMLEscaping.text(piece)))
            }
            whole += piece
        }
        if !whole.isEmpty { events.append(.text(whole)) }
    }

    /// In an ISO-8859-1 document, characters past U+00FF become character references.
    func escape(_ s: String) -> String {
        guard latin1 else { return s }
        var out = ""
        for scalar in s.unicodeScalars {
            if scalar.value > 0xFF {
                out += "&#x" + String(scalar.value, radix: 16) + ";"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    mutating func write(_ s: String) {
        if latin1 {
            out += s.unicodeScalars.map { UInt8($0.value) }
        } else {
            out += Array(s.utf8)
        }
    }
}
