import FolkbokModel

/// The frozen byte codes the record codec writes for tags and enums.
///
/// Guarantees: these numbers never change meaning (they are on disk); new cases get new
/// numbers. Enums with frozen raw values (`Protection`, `LifeState`) use those instead.
enum CodecTables {
    static let upsertTag: UInt8 = 1
    static let removeTag: UInt8 = 2
    /// An upsert of a reserve identity's own record: the upsert, then its `ReserveState`.
    static let reserveUpsertTag: UInt8 = 3

    /// 0 = unknown, 1 = female, 2 = male.
    static func code(_ sex: Sex?) -> UInt8 {
        switch sex {
        case nil: 0
        case .female: 1
        case .male: 2
        }
    }

    static func sex(_ code: UInt8) -> Sex?? {
        switch code {
        case 0: .some(nil)
        case 1: .female
        case 2: .male
        default: nil
        }
    }

    /// 0 = none; Navet's codes in a fixed order (not `allCases` order).
    static func code(_ reason: DeregistrationReason?) -> UInt8 {
        switch reason {
        case nil: 0
        case .UV: 1
        case .GN: 2
        case .AN: 3
        case .AS: 4
        case .GS: 5
        case .OB: 6
        case .TA: 7
        }
    }

    static func reason(_ code: UInt8) -> DeregistrationReason?? {
        switch code {
        case 0: .some(nil)
        case 1: .UV
        case 2: .GN
        case 3: .AN
        case 4: .AS
        case 5: .GS
        case 6: .OB
        case 7: .TA
        default: nil
        }
    }
}
