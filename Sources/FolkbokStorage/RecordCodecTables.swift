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
    /// An upsert with P4 details or a P5 history: the upsert, a presence byte and the reserve
    /// state, the details (presence byte first), the history.
    static let detailedUpsertTag: UInt8 = 4

    /// Relation types: `1` B, `2` MO, `3` FA, `4` F, `5` V, `6` VF, `7` M, `8` P.
    static func code(_ type: PersonDetails.RelationType) -> UInt8 {
        switch type {
        case .child: 1
        case .mother: 2
        case .father: 3
        case .parent: 4
        case .custodian: 5
        case .custodianOf: 6
        case .spouse: 7
        case .partner: 8
        }
    }

    static func relationType(_ code: UInt8) -> PersonDetails.RelationType? {
        PersonDetails.RelationType.allCases.first { Self.code($0) == code }
    }

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
