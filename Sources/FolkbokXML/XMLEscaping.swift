/// Escaping for writing XML that `XMLReader` reads back to the same text.
///
/// Guarantees: `text(_:)` and `attribute(_:)` answer strings that, placed in content or in a
/// double-quoted attribute value, read back exactly as the input: `&`, `<`, `>` and (in
/// attributes) `"` become entity references, and tab, line feed and carriage return become
/// character references where XML would otherwise normalise them (CR in text; all three in
/// attributes). Characters XML cannot carry at all (controls other than those three, U+FFFE,
/// U+FFFF) are not representable and are dropped.
public enum XMLEscaping {
    public static func text(_ s: String) -> String { escape(s, attribute: false) }

    public static func attribute(_ s: String) -> String { escape(s, attribute: true) }

    private static func escape(_ s: String, attribute: Bool) -> String {
        if !s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 < 0x20 || $0 == 0xEF })
        {
            return s
        }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x26: out += "&amp;"
            case 0x3C: out += "&lt;"
            case 0x3E: out += "&gt;"
            case 0x22 where attribute: out += "&quot;"
            case 0x0D: out += "&#13;"
            case 0x09 where attribute: out += "&#9;"
            case 0x0A where attribute: out += "&#10;"
            case 0x09, 0x0A: out.unicodeScalars.append(scalar)
            case 0..<0x20, 0xFFFE, 0xFFFF: continue
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
