/// A name to search for: a whole name, or a prefix when the text ended in `*`.
///
/// Guarantees: `folded` is the `SwedishFold` of the text without its trailing stars (and spaces), so
/// "Åsa", "åsa" and "ÅSA" give equal patterns and "Ander*" is the prefix "ander". A star
/// anywhere else is an ordinary character. `matches` is the one definition of a match that the
/// index implements: the folded name equals `folded` (whole) or starts with it (prefix).
public struct NamePattern: Sendable, Hashable {
    public let folded: String
    public let isPrefix: Bool

    public init(_ text: String) {
        var body = Substring(text)
        var prefix = false
        while let last = body.unicodeScalars.last, last == "*" || last.properties.isWhitespace {
            prefix = prefix || last == "*"
            body = Substring(body.unicodeScalars.dropLast())
        }
        folded = SwedishFold.fold(String(body))
        isPrefix = prefix
    }

    public init(folded: String, isPrefix: Bool) {
        self.folded = folded
        self.isPrefix = isPrefix
    }

    /// Whether a name (unfolded, as stored) matches.
    public func matches(_ name: String) -> Bool { matches(folded: SwedishFold.fold(name)) }

    /// Whether an already folded name matches.
    public func matches(folded name: String) -> Bool {
        isPrefix ? name.utf8.starts(with: folded.utf8) : name.utf8.elementsEqual(folded.utf8)
    }
}

/// A birth-date criterion: one day, or any day of a year.
public enum BirthDateCriterion: Sendable, Hashable {
    case day(CivilDate)
    case year(Int)

    public func matches(_ date: CivilDate) -> Bool {
        switch self {
        case .day(let d): d == date
        case .year(let y): date.year == y
        }
    }
}

/// What `person.search` looks for. Criteria combine with AND; nil means "any".
///
/// Matching rules (the index and any brute-force check share them):
/// - `surname`: `name.surname` matches the pattern.
/// - `given`: some given name matches the pattern. The given names are the space-separated
///   words of `name.given`; a hyphenated name ("Anna-Karin") is one given name, as in Swedish
///   usage, so "Anna-Karin" and "Anna*" match it and "Karin" does not.
/// - `birthDate`: `birthDate` is that day, or in that year.
/// - `postalCode`: `address.postalCode` with spaces removed equals the criterion with spaces
///   removed ("123 45" and "12345" are the same code).
/// - `municipality`: the record's four-digit kommunkod equals it.
/// - `street`: `address.street` matches the pattern (the whole line, house number included,
///   or its prefix: "Storgatan*").
/// Address criteria (postal code, municipality, street) never match a protected person (any
/// `protection` other than `.none`); name and birth-date criteria do. Deceased and deregistered
/// persons are included. An empty criteria set matches everything; callers require one.
public struct SearchCriteria: Sendable, Hashable {
    public var surname: NamePattern?
    public var given: NamePattern?
    public var birthDate: BirthDateCriterion?
    public var postalCode: String?
    public var municipality: String?
    public var street: NamePattern?

    public init(
        surname: NamePattern? = nil, given: NamePattern? = nil, birthDate: BirthDateCriterion? = nil,
        postalCode: String? = nil, municipality: String? = nil, street: NamePattern? = nil
    ) {
        self.surname = surname
        self.given = given
        self.birthDate = birthDate
        self.postalCode = postalCode
        self.municipality = municipality
        self.street = street
    }

    public var isEmpty: Bool {
        surname == nil && given == nil && birthDate == nil && postalCode == nil && municipality == nil && street == nil
    }

    /// Whether any criterion is about the address (and so excludes protected persons).
    public var hasAddressCriterion: Bool { postalCode != nil || municipality != nil || street != nil }

    /// A postal code as compared: its UTF-8 bytes without spaces.
    public static func normalizedPostalCode(_ code: String) -> [UInt8] { code.utf8.filter { $0 != 0x20 } }

    /// The brute-force definition of a match, for one full record (tests and small callers).
    public func matches(_ r: PersonRecord) -> Bool {
        if hasAddressCriterion && r.protection != .none { return false }
        if let surname, !(r.name.surname.map { surname.matches($0) } ?? false) { return false }
        if let given {
            let words = SwedishFold.fold(r.name.given ?? "").split(separator: " ")
            if !words.contains(where: { given.matches(folded: String($0)) }) { return false }
        }
        if let birthDate, !(r.birthDate.map(birthDate.matches) ?? false) { return false }
        if let postalCode {
            guard let code = r.address?.postalCode,
                Self.normalizedPostalCode(code) == Self.normalizedPostalCode(postalCode)
            else { return false }
        }
        if let municipality, r.municipality != municipality { return false }
        if let street, !(r.address?.street.map { street.matches($0) } ?? false) { return false }
        return true
    }
}
