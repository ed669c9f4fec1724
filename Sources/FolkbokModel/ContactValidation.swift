/// Checks and normalises digital contact details before they are stored.
///
/// Guarantees: `email` accepts the practical subset of RFC 5322's addr-spec (a dot-atom local
/// part of at most 64 bytes, `@`, a domain of at least two LDH labels of 1–63 bytes whose last
/// label has letters only; at most 254 bytes in all; no quoted strings, comments or address
/// literals) and answers it with the domain in lower case. `phone` answers E.164 (`+` and
/// 8–15 digits, no leading zero in the country code): spaces, hyphens, dots and parentheses
/// are dropped; `00` becomes `+`; a Swedish national number (`0` then the area code, e.g.
/// `070-123 45 67`) becomes `+46…` without the trunk zero. Anything else is nil.
public enum ContactValidation {
    private static let atomSpecials = Set("!#$%&'*+/=?^_`{|}~-".utf8)

    public static func email(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        guard bytes.count <= 254, let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return nil }
        let local = bytes[..<at], domain = bytes[(at + 1)...]
        guard (1...64).contains(local.count), isDotAtom(local) else { return nil }
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy(isLabel), labels.last!.allSatisfy(isLetter), labels.last!.count >= 2
        else { return nil }
        return String(decoding: local, as: UTF8.self) + "@" + String(decoding: domain, as: UTF8.self).lowercased()
    }

    public static func phone(_ text: String) -> String? {
        var rest = text.utf8.drop { $0 == 0x20 }
        let plus = rest.first == UInt8(ascii: "+")
        if plus { rest = rest.dropFirst() }
        var digits: [UInt8] = []
        for byte in rest {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits.append(byte)
            case 0x20, UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")"): continue
            default: return nil
            }
        }
        if !plus {
            if digits.starts(with: [48, 48]) {
                digits.removeFirst(2)
            } else if digits.first == 48 {
                digits = Array("46".utf8) + digits.dropFirst()
            } else {
                return nil
            }
        }
        guard (8...15).contains(digits.count), digits.first != 48 else { return nil }
        return "+" + String(decoding: digits, as: UTF8.self)
    }

    private static func isDotAtom(_ s: ArraySlice<UInt8>) -> Bool {
        let atoms = s.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        return atoms.allSatisfy { atom in
            !atom.isEmpty && atom.allSatisfy { isLetter($0) || isDigit($0) || atomSpecials.contains($0) }
        }
    }

    private static func isLabel(_ label: ArraySlice<UInt8>) -> Bool {
        (1...63).contains(label.count) && label.first != UInt8(ascii: "-") && label.last != UInt8(ascii: "-")
            && label.allSatisfy { isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "-") }
    }

    private static func isLetter(_ b: UInt8) -> Bool {
        (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z")
    }
    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
}
