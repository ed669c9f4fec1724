/// Folds names "in the Swedish way" for search: two texts fold to the same string exactly when a
/// Swedish reader would call them the same name, ignoring case and foreign accents.
///
/// Guarantees (the fold of a text):
/// - is lowercase; å, ä and ö stay letters of their own (ö never equals o), whether written
///   precomposed or as a letter followed by a combining ring or diaeresis;
/// - æ folds to ä and ø to ö (as in Swedish collation), including their accented forms;
/// - other diacritics fold away (é→e, ü→u, ñ→n, ł→l, ő→o, ç→c), and combining marks not
///   forming å/ä/ö are dropped; ß→ss, þ→th, ð→d, œ→oe, ĳ→ij, ı→i;
/// - every run of whitespace becomes one space, with none at either end;
/// - other characters (hyphens, digits, punctuation, other scripts) are kept, lowercased.
/// Folding is idempotent: `fold(fold(x)) == fold(x)`.
/// - Complexity: O(length); ASCII and Latin-1 letters take a table lookup each.
public enum SwedishFold {
    public static func fold(_ text: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var copy = text
        copy.withUTF8 { fold(utf8: $0, into: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the fold of the well-formed UTF-8 `bytes` to `out` (callers reuse one buffer).
    public static func fold(utf8 bytes: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        // ASCII and table folds never grow the text; only generic lowercase mappings of other
        // scripts might (at most 4 bytes per input byte), so fold into scratch of that bound.
        let bound = bytes.count * 4 + 8
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bound) { scratch in
            FoldTable.packed.withUnsafeBufferPointer { table in
                var w = Writer(base: scratch.baseAddress!, capacity: bound)
                fold(bytes, table: table, into: &w)
                out.append(contentsOf: UnsafeBufferPointer(start: scratch.baseAddress!, count: w.count))
            }
        }
    }

    /// A cursor over reserved output bytes, with the pending-space state of the fold.
    private struct Writer {
        let base: UnsafeMutablePointer<UInt8>
        let capacity: Int
        var count = 0
        var space = false

        @inline(__always)
        mutating func put(_ byte: UInt8) {
            if space {
                if count > 0 {
                    base[count] = 0x20
                    count += 1
                }
                space = false
            }
            base[count] = byte
            count += 1
        }
    }

    private static func fold(
        _ bytes: UnsafeBufferPointer<UInt8>, table: UnsafeBufferPointer<UInt32>, into w: inout Writer
    ) {
        var i = 0
        while i < bytes.count {
            let lead = bytes[i]
            if lead < 0x80 {
                i += 1
                if lead == 0x20 || (lead >= 0x09 && lead <= 0x0D) {
                    w.space = true
                } else {
                    w.put(lead >= 0x41 && lead <= 0x5A ? lead | 0x20 : lead)
                }
                continue
            }
            let (scalar, width) = decode(bytes, at: i)
            i += width
            if let at = FoldTable.index(of: scalar), table[at] != 0 {
                let packed = table[at]
                for k in 0..<(packed >> 24) { w.put(UInt8(truncatingIfNeeded: packed >> (8 * k))) }
            } else {
                foldOther(scalar, into: &w)
            }
        }
    }

    /// Scalars the table does not cover: whitespace, combining marks, other scripts.
    private static func foldOther(_ scalar: UInt32, into w: inout Writer) {
        guard let s = Unicode.Scalar(scalar) else { return }
        if s.properties.isWhitespace {
            w.space = true
        } else if s.properties.generalCategory == .nonspacingMark {
            combine(scalar, after: &w)
        } else {
            let mapping = s.properties.lowercaseMapping.utf8
            precondition(w.count + mapping.count + 1 <= w.capacity, "lowercase mapping longer than Unicode allows")
            for b in mapping { w.put(b) }
        }
    }

    /// A combining ring after a or diaeresis after a/o makes å, ä, ö; any other mark is dropped.
    private static func combine(_ mark: UInt32, after w: inout Writer) {
        guard w.count > 0, !w.space else { return }
        let combined: UInt8? =
            switch (w.base[w.count - 1], mark) {
            case (0x61, 0x030A): 0xA5  // a + ring above → å
            case (0x61, 0x0308): 0xA4  // a + diaeresis → ä
            case (0x6F, 0x0308): 0xB6  // o + diaeresis → ö
            default: nil
            }
        guard let combined else { return }
        w.base[w.count - 1] = 0xC3
        w.put(combined)
    }

    /// The scalar starting at non-ASCII byte `i` and its width in bytes. Input is meant to be
    /// well-formed UTF-8; a truncated sequence yields U+FFFD and never reads past the end.
    @inline(__always)
    private static func decode(_ b: UnsafeBufferPointer<UInt8>, at i: Int) -> (UInt32, Int) {
        let lead = UInt32(b[i])
        let width = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        guard i + width <= b.count else { return (0xFFFD, b.count - i) }
        var scalar = lead & (0x7F >> UInt32(width))
        for k in 1..<width { scalar = scalar << 6 | UInt32(b[i + k] & 0x3F) }
        return (scalar, width)
    }
}
