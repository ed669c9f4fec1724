import FolkbokModel

/// The groups of one evaluation: each distinct combination of the `by` dimensions' values
/// across all sources, numbered, then ranked in the protocol's row order.
///
/// Guarantees: after `rank()`, `values[r]` are the values of the group with rank `r`, ranks
/// ordered by the `by` values in the order given, `null` first, then ascending by code point.
struct GroupBook {
    let by: [StatsDimension]
    private var ids: [GroupKey: Int32] = [:]
    /// By group id until `rank()`, by rank afterwards.
    private(set) var values: [[String?]] = []
    /// Global codes of region and user strings (0 is nil).
    private var stringCodes: [String: UInt32] = [:]
    private let mask: (enums: UInt64, region: Bool, user: Bool)

    init(by: [StatsDimension]) {
        self.by = by
        var enums: UInt64 = 0
        for d in by {
            if let shift = GroupKey.shift(of: d) { enums |= 0xFF << shift }
        }
        mask = (enums, by.contains(.region), by.contains(.user))
    }

    var count: Int { values.count }

    /// Per-source memo of global string codes, indexed by the source's string id.
    struct StringMemo {
        var codes: [UInt32]
        init(_ table: DimensionTable) { codes = [UInt32](repeating: .max, count: table.strings.count + 1) }
    }

    /// The group id of a combination; `region` and `user` are `table`'s string ids.
    mutating func group(
        method: LookupMethod, category: CustomerCategory, region: UInt32, user: UInt32, purpose: Purpose?,
        contract: Contract?, profile: Profile?, outcome: LookupOutcome, ageBand: AgeBand, sex: StatsSex,
        table: DimensionTable, memo: inout StringMemo
    ) -> Int32 {
        var enums = GroupKey.pack(
            method: method, category: category, purpose: purpose, contract: contract,
            profile: profile, outcome: outcome, ageBand: ageBand, sex: sex)
        enums &= mask.enums
        let regionCode = mask.region ? code(region, table, &memo) : 0
        let userCode = mask.user ? code(user, table, &memo) : 0
        let key = GroupKey(enums: enums, strings: UInt64(regionCode) << 32 | UInt64(userCode))
        if let id = ids[key] { return id }
        let id = Int32(values.count)
        ids[key] = id
        values.append(
            by.map { d -> String? in
                switch d {
                case .method: method.rawValue
                case .category: category.rawValue
                case .region: table.string(region)
                case .user: table.string(user)
                case .purpose: purpose?.rawValue
                case .contract: contract?.rawValue
                case .profile: profile?.rawValue
                case .outcome: outcome.rawValue
                case .ageBand: ageBand.rawValue
                case .sex: sex.rawValue
                }
            })
        return id
    }

    private mutating func code(_ id: UInt32, _ table: DimensionTable, _ memo: inout StringMemo) -> UInt32 {
        let known = memo.codes[Int(id)]
        if known != .max { return known }
        var c: UInt32 = 0
        if let s = table.string(id) {
            if let existing = stringCodes[s] {
                c = existing
            } else {
                c = UInt32(stringCodes.count + 1)
                stringCodes[s] = c
            }
        }
        memo.codes[Int(id)] = c
        return c
    }

    /// Reorders `values` by rank and answers each group id's rank.
    mutating func rank() -> [Int32] {
        let order = values.indices.sorted { Self.precedes(values[$0], values[$1]) }
        var rankOfGroup = [Int32](repeating: 0, count: values.count)
        for (r, g) in order.enumerated() { rankOfGroup[g] = Int32(r) }
        values = order.map { values[$0] }
        return rankOfGroup
    }

    /// Row order: value by value, `nil` first, then ascending by code point (UTF-8 byte order
    /// is code point order).
    static func precedes(_ a: [String?], _ b: [String?]) -> Bool {
        for (x, y) in zip(a, b) {
            switch (x, y) {
            case (nil, nil): continue
            case (nil, _): return true
            case (_, nil): return false
            case (let x?, let y?):
                if x == y { continue }
                return x.utf8.lexicographicallyPrecedes(y.utf8)
            }
        }
        return false
    }
}

/// A group's identity: the `by` dimensions' enum codes in one word (a byte each), region and
/// user global string codes in the other.
struct GroupKey: Hashable {
    var enums: UInt64
    var strings: UInt64

    static func shift(of d: StatsDimension) -> UInt64? {
        switch d {
        case .method: 0
        case .category: 8
        case .purpose: 16
        case .contract: 24
        case .profile: 32
        case .outcome: 40
        case .ageBand: 48
        case .sex: 56
        case .region, .user: nil
        }
    }

    static func pack(
        method: LookupMethod, category: CustomerCategory, purpose: Purpose?, contract: Contract?, profile: Profile?,
        outcome: LookupOutcome, ageBand: AgeBand, sex: StatsSex
    ) -> UInt64 {
        UInt64(method.diskCode) | UInt64(category.diskCode) << 8 | UInt64(purpose?.diskCode ?? 0) << 16
            | UInt64(contract?.diskCode ?? 0) << 24 | UInt64(profile?.diskCode ?? 0) << 32
            | UInt64(outcome.diskCode) << 40 | UInt64(ageBand.diskCode) << 48 | UInt64(sex.diskCode) << 56
    }
}
