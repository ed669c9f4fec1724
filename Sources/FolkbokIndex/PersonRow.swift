import FolkbokModel

/// Contact details in packed form (strings interned in the store's pool).
struct ContactRow: Sendable {
    var email: UInt32
    var phone: UInt32
    var source: UInt32
    var consentDate: UInt32
    var version: UInt64
}

/// One person in packed form: fixed width, no references, every string an interned id.
///
/// Rare parts (special and foreign addresses, contact details, reserve links) live in side
/// tables of `PersonStore`, flagged here so the common case costs nothing.
struct PersonRow: Sendable {
    var key: UInt64
    var version: UInt64
    var given: UInt32
    var callName: UInt32
    var middle: UInt32
    var surname: UInt32
    var careOf: UInt32
    var street: UInt32
    var postalCode: UInt32
    var city: UInt32
    /// `CivilDate.packed`, 0 for none.
    var birthDate: UInt32
    var statusDate: UInt32
    /// Ids in `PersonStore.codes` (county, municipality and region codes are few).
    var county: UInt16
    var municipality: UInt16
    var region: UInt16
    /// 0 none, 1 F, 2 M.
    var sex: UInt8
    var protection: UInt8
    var state: UInt8
    /// Index into `DeregistrationReason.allCases` + 1, 0 for none.
    var reason: UInt8
    var flags: Flags
    /// Where the person's P4 details lie in `PersonStore.details` (only with `hasDetails`);
    /// it fills what was padding, so the row is no wider.
    var detailAt: UInt32 = 0

    struct Flags: OptionSet, Sendable {
        let rawValue: UInt8
        static let test = Flags(rawValue: 1)
        static let hasAddress = Flags(rawValue: 2)
        static let hasSpecialAddress = Flags(rawValue: 4)
        static let hasForeignAddress = Flags(rawValue: 8)
        static let hasContact = Flags(rawValue: 16)
        static let hasReserveLinks = Flags(rawValue: 32)
        /// The person has profile-P4 details (in `PersonStore.details`, at `detailAt`).
        static let hasDetails = Flags(rawValue: 64)
        /// The person has a P5 history (side table `histories`).
        static let hasHistory = Flags(rawValue: 128)
    }
}

extension Sex {
    var packed: UInt8 { self == .female ? 1 : 2 }
    init?(packed: UInt8) {
        switch packed {
        case 1: self = .female
        case 2: self = .male
        default: return nil
        }
    }
}

extension DeregistrationReason {
    var packed: UInt8 { UInt8(DeregistrationReason.allCases.firstIndex(of: self)! + 1) }
    init?(packed: UInt8) {
        guard packed > 0, Int(packed) <= DeregistrationReason.allCases.count else { return nil }
        self = DeregistrationReason.allCases[Int(packed) - 1]
    }
}
