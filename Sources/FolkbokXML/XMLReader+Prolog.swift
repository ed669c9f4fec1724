import Glibc

/// The start of a document: byte order mark and XML declaration, which decide the encoding.
extension XMLReader {
    /// Reads the declaration from the raw bytes (nothing is checked as UTF-8 until the encoding
    /// is known), then converts ISO-8859-1 input and checks what was read.
    mutating func readProlog() throws(XMLError) {
        var bom = false
        if try ensure(2), base[start] == 0xEF, base[start + 1] == 0xBB, base[start + 2] == 0xBF {
            start += 3
            bom = true
        }
        var isLatin1 = false
        if try ensure(5), memcmp(base + start, "<?xml", 5) == 0, XMLCharacters.isSpace(base[start + 5]) {
            var k = 6
            while true {
                guard try ensure(k + 1) else { throw fail(.truncated, at: end) }
                if base[start + k] == 0x3F, base[start + k + 1] == 0x3E { break }
                k += 1
                if k > 1024 { throw fail(.malformedDeclaration, at: start) }
            }
            let declaration = Array(UnsafeBufferPointer(start: base + start + 5, count: k - 5))
            switch XMLDeclaration.encoding(declaration) {
            case .utf8: isLatin1 = false
            case .latin1: isLatin1 = true
            case .refused(let reason): throw fail(reason, at: start)
            }
            start += k + 2
        }
        let declarationLineFeeds = XMLCharacters.countLineFeeds(base, from: 0, to: start)
        if isLatin1 {
            if bom { throw fail(.unsupportedEncoding, at: 0) }
            convertRestFromLatin1()
        }
        latin1 = isLatin1
        prologDone = true
        end = start
        lineFeedsBeforeEnd = declarationLineFeeds
        checkNewBytes()
    }

    /// Converts the bytes read after the declaration to UTF-8 in a fresh buffer.
    private mutating func convertRestFromLatin1() {
        let n = rawEnd - start
        let newCapacity = max(capacity, 2 * n + 2 * chunkSize + 64)
        let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        let written = XMLCharacters.latin1ToUTF8(base + start, n, into: fresh)
        base.deallocate()
        base = fresh
        capacity = newCapacity
        start = 0
        end = 0
        rawEnd = written
    }
}

/// The XML declaration's pseudo-attributes: `version` (1.x), then optionally `encoding` and
/// `standalone`, in that order.
enum XMLDeclaration {
    enum Outcome {
        case utf8, latin1
        case refused(XMLError.Reason)
    }

    /// Reads the text between `<?xml` and `?>`.
    static func encoding(_ d: [UInt8]) -> Outcome {
        var i = 0
        func skipSpace() -> Bool {
            let from = i
            while i < d.count, XMLCharacters.isSpace(d[i]) { i += 1 }
            return i > from
        }
        func pseudo(_ name: String) -> [UInt8]?? {
            let save = i
            guard skipSpace() else {
                i = save
                return .some(nil)
            }
            let bytes = Array(name.utf8)
            guard d.count - i >= bytes.count, Array(d[i..<i + bytes.count]) == bytes else {
                i = save
                return .some(nil)
            }
            i += bytes.count
            _ = skipSpace()
            guard i < d.count, d[i] == UInt8(ascii: "=") else { return nil }
            i += 1
            _ = skipSpace()
            guard i < d.count, d[i] == 0x22 || d[i] == 0x27 else { return nil }
            let quote = d[i]
            i += 1
            let from = i
            while i < d.count, d[i] != quote { i += 1 }
            guard i < d.count else { return nil }
            i += 1
            return .some(Array(d[from..<i - 1]))
        }
        guard case .some(let version?) = pseudo("version"), version.count >= 3, version[0] == UInt8(ascii: "1"),
            version[1] == UInt8(ascii: "."), version[2...].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
        else {
            return .refused(.malformedDeclaration)
        }
        guard case .some(let encoding) = pseudo("encoding") else { return .refused(.malformedDeclaration) }
        guard case .some(let standalone) = pseudo("standalone") else { return .refused(.malformedDeclaration) }
        if let standalone, standalone != Array("yes".utf8), standalone != Array("no".utf8) {
            return .refused(.malformedDeclaration)
        }
        _ = skipSpace()
        guard i == d.count else { return .refused(.malformedDeclaration) }
        guard let encoding else { return .utf8 }
        let upper = String(decoding: encoding, as: UTF8.self).uppercased()
        switch upper {
        case "UTF-8": return .utf8
        case "ISO-8859-1": return .latin1
        default: return .refused(.unsupportedEncoding)
        }
    }
}
