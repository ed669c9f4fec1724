/// Small allocation-light string helpers for the generators (no Foundation formatting).
///
/// Guarantees: `digits` always returns exactly `width` ASCII digits (the low-order digits of a
/// non-negative value, zero-padded); `asciiFolded` returns lowercase ASCII for Swedish names
/// (å/ä→a, ö→o, é→e, ü→u, æ→ae, ø→o) and drops anything else that is not a letter, digit or hyphen.
enum Text {
    static func digits(_ value: Int, width: Int) -> String { String(digits: UInt64(value), width: width) }

    /// Appends the decimal form of a non-negative value without padding.
    static func append(_ value: Int, to s: inout String) {
        var width = 1
        var limit = 10
        while limit <= value {
            width += 1
            limit *= 10
        }
        s.append(digits(value, width: width))
    }

    /// `text` + " " + `number` (non-negative) + `suffix` (an ASCII byte, or 0 for none), built in
    /// one allocation.
    static func spaced(_ text: String, _ number: Int, suffix: UInt8 = 0) -> String {
        var width = 1
        var limit = 10
        while limit <= number {
            width += 1
            limit *= 10
        }
        let count = text.utf8.count + 1 + width + (suffix == 0 ? 0 : 1)
        return String(unsafeUninitializedCapacity: count) { buf in
            var i = 0
            for b in text.utf8 {
                buf[i] = b
                i += 1
            }
            buf[i] = 32
            i += 1
            var v = number
            for j in stride(from: i + width - 1, through: i, by: -1) {
                buf[j] = UInt8(48 + v % 10)
                v /= 10
            }
            if suffix != 0 { buf[count - 1] = suffix }
            return count
        }
    }

    /// `first` + " " + `second`, built in one allocation (none if it fits a small string).
    static func spaced(_ first: String, _ second: String) -> String {
        let count = first.utf8.count + 1 + second.utf8.count
        return String(unsafeUninitializedCapacity: count) { buf in
            var i = 0
            for b in first.utf8 {
                buf[i] = b
                i += 1
            }
            buf[i] = 32
            i += 1
            for b in second.utf8 {
                buf[i] = b
                i += 1
            }
            return count
        }
    }

    static func asciiFolded(_ name: String) -> String {
        var out = ""
        for scalar in name.lowercased().unicodeScalars {
            switch scalar {
            case "a"..."z", "0"..."9", "-": out.unicodeScalars.append(scalar)
            case "å", "ä", "à", "á": out += "a"
            case "ö", "ø", "ó": out += "o"
            case "é", "è": out += "e"
            case "ü": out += "u"
            case "æ": out += "ae"
            default: break
            }
        }
        return out
    }
}
