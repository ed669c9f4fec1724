/// Luhn (mod 10) check digits as Swedish personal numbers and folkbok's national reserve
/// identities (NRID) use them.
///
/// Guarantees: pure, total functions over ASCII; they never trap and answer `false` / `nil`
/// for any character outside the alphabet they accept.
///
/// The NRID variant runs over all 12 characters, right to left, the rightmost (the check
/// digit itself) undoubled. A digit counts as its value, an uppercase letter as its ASCII
/// code (A = 65). A doubled value contributes the sum of the decimal digits of twice the
/// value (A: 130 → 1+3+0 = 4), an undoubled one the sum of its own decimal digits
/// (A: 65 → 6+5 = 11). For digits this is exactly the ordinary Luhn rule, so the two
/// variants agree on all-digit strings. This is the only reading under which all five
/// vectors in docs/PROTOCOL.md are valid among those we tried (digital roots instead of digit
/// sums, subtracting 9, or undoubled letters counting 65 all fail at least one vector),
/// except "digit-sum the letter first, then double and digit-sum", which the vectors cannot
/// tell apart; we take the protocol's wording literally ("counts as its ASCII code before
/// doubling and digit-summing").
public enum Luhn {
    /// True when `digits` is one or more ASCII digits whose last is the Luhn check digit
    /// of the others.
    public static func isValid(digits: some StringProtocol) -> Bool {
        weightedSum(Array(digits.utf8), rightmostDoubled: false, lettersCount: false).map { $0 % 10 == 0 } ?? false
    }

    /// The Luhn check digit (0–9) to append to `digits`; `nil` if `digits` is empty or not
    /// all ASCII digits.
    public static func checkDigit(for digits: some StringProtocol) -> Int? {
        weightedSum(Array(digits.utf8), rightmostDoubled: true, lettersCount: false).map { (10 - $0 % 10) % 10 }
    }

    /// True when `text` (ASCII digits and uppercase letters, ending in a digit) passes the
    /// NRID variant described on the type. Checks the check digit only, not the NRID layout.
    public static func isValidNationalReserve(_ text: some StringProtocol) -> Bool {
        let bytes = Array(text.utf8)
        guard let last = bytes.last, isDigit(last) else { return false }
        return weightedSum(bytes, rightmostDoubled: false, lettersCount: true).map { $0 % 10 == 0 } ?? false
    }

    /// The NRID-variant check digit (0–9) to append to `text` (ASCII digits and uppercase
    /// letters); `nil` if `text` is empty or has another character.
    public static func nationalReserveCheckDigit(for text: some StringProtocol) -> Int? {
        weightedSum(Array(text.utf8), rightmostDoubled: true, lettersCount: true).map { (10 - $0 % 10) % 10 }
    }

    private static func weightedSum(_ bytes: [UInt8], rightmostDoubled: Bool, lettersCount: Bool) -> Int? {
        guard !bytes.isEmpty else { return nil }
        var sum = 0
        var doubled = rightmostDoubled
        for byte in bytes.reversed() {
            let value: Int
            if isDigit(byte) {
                value = Int(byte) - 48
            } else if lettersCount, byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") {
                value = Int(byte)
            } else {
                return nil
            }
            sum += digitSum(doubled ? 2 * value : value)
            doubled.toggle()
        }
        return sum
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    private static func digitSum(_ value: Int) -> Int {
        var v = value
        var sum = 0
        while v > 0 {
            sum += v % 10
            v /= 10
        }
        return sum
    }
}
