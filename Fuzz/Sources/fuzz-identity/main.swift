import FolkbokModel
import FuzzDriver

// Bytes 0 and 1 pick "today" (a day from 1900-01-01 to 2079-06-06), byte 2 splits the
// rest into a text and an issuer. Whatever `IdentityParser.parse` accepts must be canonical
// (parsing its value again gives the same identity); whatever `localReserve` accepts must
// not parse as a national identity.
fuzzMain { data, size in
    let input = FuzzInput(fuzz: data, size)
    guard input.count >= 3 else { return 0 }
    let today = CivilDate(daysSinceEpoch: -25_567 + (Int(input[0]) << 8 | Int(input[1])))
    let rest = input.dropFirst(3)
    let cut = rest.startIndex + min(Int(input[2]), rest.count)
    let text = String(decoding: rest[..<cut], as: UTF8.self)
    let issuer = String(decoding: rest[cut...], as: UTF8.self)

    if let identity = try? IdentityParser.parse(text, today: today) {
        guard let again = try? IdentityParser.parse(identity.value, today: today) else {
            fatalError("a parsed identity's canonical value does not parse")
        }
        if again != identity { fatalError("a parsed identity's canonical value parses differently") }
    }
    if let reserve = try? IdentityParser.localReserve(text, issuer: issuer, today: today) {
        if (try? IdentityParser.parse(reserve.value, today: today)) != nil {
            fatalError("a local reserve identity parses as a national one")
        }
        if reserve.value != text || reserve.issuer != issuer { fatalError("a local reserve identity was altered") }
    }
    return 0
}
