/// A text field of a person record, as `RecordSource.withText` names it.
public enum RecordText: Sendable, CaseIterable {
    case given, callName, middle, surname
    case careOf, street, postalCode, city
    case county, municipality, region
    case email, phone, consentSource
}

/// A person record as the encoders read it: a `PersonRecord`, or a packed row read in place
/// (FolkbokIndex's `PackedPerson`), so that one encoder serves both and their answers are the
/// same bytes.
///
/// Guarantees of every implementation: `withText` hands `body` the field's UTF-8 bytes, or nil
/// when the field is absent (the address fields when `hasAddress` is false, the contact fields
/// when `contact` is nil); the bytes are valid only inside `body`.
public protocol RecordSource {
    var id: Identity { get }
    func withText<T>(_ field: RecordText, _ body: (UnsafeBufferPointer<UInt8>?) -> T) -> T
    var birthDate: CivilDate? { get }
    var sex: Sex? { get }
    var hasAddress: Bool { get }
    var specialAddress: PostalAddress? { get }
    var foreignAddress: ForeignAddress? { get }
    var protection: Protection { get }
    var test: Bool { get }
    var status: PersonStatus { get }
    /// The consent date and version of the contact details, nil without contact details.
    var contactStamp: (consentDate: CivilDate, version: UInt64)? { get }
    var reserveLinks: [Identity] { get }
    /// The profile-P4 parts, nil when none is known.
    var details: PersonDetails? { get }
    /// The P5 history, newest first.
    var history: [HistoryEntry] { get }
    var version: UInt64 { get }
    /// The UTF-8 bytes of every `RecordText` field together (what `withText` would hand out).
    var textBytes: Int { get }
}

extension RecordSource {
    public var textBytes: Int {
        var n = 0
        for field in RecordText.allCases { n += withText(field) { $0?.count ?? 0 } }
        return n
    }
}

extension PersonRecord: RecordSource {
    public func withText<T>(_ field: RecordText, _ body: (UnsafeBufferPointer<UInt8>?) -> T) -> T {
        let text: String?
        switch field {
        case .given: text = name.given
        case .callName: text = name.callName
        case .middle: text = name.middle
        case .surname: text = name.surname
        case .careOf: text = address?.careOf
        case .street: text = address?.street
        case .postalCode: text = address?.postalCode
        case .city: text = address?.city
        case .county: text = county
        case .municipality: text = municipality
        case .region: text = region
        case .email: text = contact?.email
        case .phone: text = contact?.phone
        case .consentSource: text = contact?.consent.source
        }
        guard var text else { return body(nil) }
        return text.withUTF8 { body($0) }
    }

    public var hasAddress: Bool { address != nil }

    public var contactStamp: (consentDate: CivilDate, version: UInt64)? {
        contact.map { ($0.consent.date, $0.version) }
    }
}
