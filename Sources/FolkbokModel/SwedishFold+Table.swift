/// The folds of the Latin letters outside ASCII (U+0080–U+024F and U+1E00–U+1EFF), derived once
/// from the Unicode character names: "LATIN SMALL LETTER E WITH ACUTE" folds to "e".
///
/// Guarantees: `packed` has one entry per scalar of those ranges (`index(of:)` finds it): 0 when
/// the scalar is not a letter with a plain Latin base (symbols, spaces, IPA letters), which
/// `SwedishFold` then handles generically; otherwise the folded UTF-8 bytes (1–3, never more
/// than the scalar's own UTF-8 length) in the low bytes and their count in the top byte.
enum FoldTable {
    private static let latin: Range<UInt32> = 0x80..<0x250
    private static let additional: Range<UInt32> = 0x1E00..<0x1F00

    static let packed: [UInt32] = (Array(latin) + Array(additional)).map { value in
        guard let scalar = Unicode.Scalar(value), let folded = swedishFold(of: scalar) else { return 0 }
        let bytes = Array(folded.utf8)
        precondition(bytes.count <= min(3, String(scalar).utf8.count), "a fold must not grow the text")
        return bytes.enumerated().reduce(UInt32(bytes.count) << 24) {
            $0 | UInt32($1.element) << (8 * UInt32($1.offset))
        }
    }

    /// The index of `scalar` in `packed`, nil outside the ranges.
    @inline(__always)
    static func index(of scalar: UInt32) -> Int? {
        if scalar < latin.upperBound { return Int(scalar - latin.lowerBound) }
        if additional.contains(scalar) { return latin.count + Int(scalar - additional.lowerBound) }
        return nil
    }

    /// The Swedish fold of one Latin letter, read from its Unicode name; nil if not a letter
    /// with a plain Latin base.
    static func swedishFold(of scalar: Unicode.Scalar) -> String? {
        guard let name = scalar.properties.name else { return nil }
        var rest: Substring
        if name.hasPrefix("LATIN SMALL LETTER ") {
            rest = name.dropFirst("LATIN SMALL LETTER ".count)
        } else if name.hasPrefix("LATIN CAPITAL LETTER ") {
            rest = name.dropFirst("LATIN CAPITAL LETTER ".count)
        } else if name.hasPrefix("LATIN SMALL LIGATURE ") || name.hasPrefix("LATIN CAPITAL LIGATURE ") {
            rest = name.split(separator: " ", maxSplits: 3).last ?? ""
        } else {
            return nil
        }
        var marks: Substring = ""
        if let with = rest.firstRange(of: " WITH ") {
            marks = rest[with.upperBound...]
            rest = rest[..<with.lowerBound]
        }
        switch (rest, marks) {
        case ("A", let m) where m.hasPrefix("RING ABOVE"): return "å"
        case ("A", let m) where m.hasPrefix("DIAERESIS"): return "ä"
        case ("O", let m) where m.hasPrefix("DIAERESIS"): return "ö"
        case ("O", let m) where m.hasPrefix("STROKE"): return "ö"
        case ("AE", _): return "ä"
        case ("SHARP S", _): return "ss"
        case ("THORN", _): return "th"
        case ("ETH", _): return "d"
        case ("DOTLESS I", _): return "i"
        case ("DOTLESS J", _): return "j"
        case ("LONG S", _): return "s"
        default:
            guard (1...2).contains(rest.count), rest.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) else { return nil }
            return rest.lowercased()
        }
    }
}
