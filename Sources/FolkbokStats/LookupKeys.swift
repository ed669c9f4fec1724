import FolkbokModel

/// The part of a lookup's dimensions that a session fixes: customer (with its category and
/// region), user, purpose and contract. Strings are ids in the owning `DimensionTable` (0 for
/// nil).
///
/// Equality and hashing use the enums' byte codes (the enums have `String` raw values, and
/// comparing or hashing those strings would be slow).
struct Caller: Equatable, Sendable {
    var customer: UInt32
    var region: UInt32
    var user: UInt32
    var category: CustomerCategory
    var purpose: Purpose
    var contract: Contract

    private var codes: UInt64 {
        UInt64(category.diskCode) | UInt64(purpose.diskCode) << 8 | UInt64(contract.diskCode) << 16
    }

    static func == (a: Caller, b: Caller) -> Bool {
        a.customer == b.customer && a.region == b.region && a.user == b.user && a.codes == b.codes
    }

    /// The hash `DimensionTable` interns callers by.
    var hash: UInt64 { StatsHash.words(UInt64(customer) << 32 | UInt64(region), UInt64(user) << 32 | codes) }
}

/// What `stats.open` may group by besides outcome, age band and sex: the region, category and
/// method of a caller's lookups. `region` is a string id. Hashed by codes, as `Caller`.
struct OpenContext: Hashable, Sendable {
    var region: UInt32
    var category: CustomerCategory
    var method: LookupMethod

    private var key: UInt64 { UInt64(region) << 16 | UInt64(category.diskCode) << 8 | UInt64(method.diskCode) }

    static func == (a: OpenContext, b: OpenContext) -> Bool { a.key == b.key }

    func hash(into hasher: inout Hasher) { hasher.combine(key) }
}

/// The part of a lookup's dimensions that depends on the person answered: outcome, age band
/// and sex, numbered 0..<72.
struct LookupVariant: Hashable, Sendable {
    var outcome: LookupOutcome
    var ageBand: AgeBand
    var sex: StatsSex

    static let count = 4 * 6 * 3

    @inline(__always)
    var index: Int { Int(outcome.diskCode - 1) * 18 + Int(ageBand.diskCode - 1) * 3 + Int(sex.diskCode - 1) }

    init(outcome: LookupOutcome, ageBand: AgeBand, sex: StatsSex) {
        self.outcome = outcome
        self.ageBand = ageBand
        self.sex = sex
    }

    /// The variant numbered `index` (0..<72).
    init(index: Int) { self = Self.byIndex[index] }

    /// False for the combinations `LookupEvent` never makes (age band or sex known without a
    /// full outcome); decoders reject them.
    var isPossible: Bool { outcome.shown(ageBand) == ageBand && outcome.shown(sex) == sex }

    /// The indexes of every possible variant.
    static let possibleIndexes: [Int] = byIndex.indices.filter { byIndex[$0].isPossible }

    private static let byIndex: [LookupVariant] = {
        var all = [LookupVariant](
            repeating: LookupVariant(outcome: .full, ageBand: .unknown, sex: .unknown), count: count)
        for o in LookupOutcome.allCases {
            for a in AgeBand.allCases {
                for s in StatsSex.allCases {
                    let v = LookupVariant(outcome: o, ageBand: a, sex: s)
                    all[v.index] = v
                }
            }
        }
        return all
    }()
}

/// How a counted lookup's dimensions become one integer, without any table lookup:
/// `context = caller * 40 + slot`, `slot = (method code − 1) * 8 + profile code (0 for nil)`,
/// `cell = context << 7 | variant`. The counters key every count on (hour, cell). Profiles
/// take 3 bits (P1–P5); statistics encoded before P4 existed (format version 1) used
/// `caller * 20 + (method code − 1) * 4 + profile code` and are converted when read.
enum CellCode {
    static let slotsPerCaller: UInt32 = 40
    static let profileSlots: UInt32 = 8
    static let methods = 5

    @inline(__always)
    static func slot(method: LookupMethod, profile: Profile?) -> UInt32 {
        UInt32(method.diskCode - 1) * profileSlots + UInt32(profile?.diskCode ?? 0)
    }

    /// A context as statistics format version 1 numbered it, renumbered; nil when that
    /// numbering cannot have produced it (a method or profile code out of range).
    static func context(version1 old: UInt64) -> UInt32? {
        let caller = old / 20, slot = old % 20
        let method = slot / 4, profile = slot % 4
        let context = caller * UInt64(slotsPerCaller) + method * UInt64(profileSlots) + profile
        guard method < UInt64(methods), context <= UInt64(UInt32.max) else { return nil }
        return UInt32(context)
    }

    @inline(__always)
    static func context(caller: UInt32, slot: UInt32) -> UInt32 { caller * slotsPerCaller + slot }

    @inline(__always)
    static func cell(context: UInt32, variant: Int) -> UInt64 { UInt64(context) << 7 | UInt64(variant) }

    @inline(__always)
    static func context(of cell: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: cell >> 7) }

    @inline(__always)
    static func variant(of cell: UInt64) -> Int { Int(cell & 0x7F) }

    @inline(__always)
    static func caller(of context: UInt32) -> UInt32 { context / slotsPerCaller }

    static func method(of context: UInt32) -> LookupMethod {
        LookupMethod(diskCode: UInt8(context % slotsPerCaller / profileSlots + 1))!
    }

    static func profile(of context: UInt32) -> Profile? {
        Profile(diskCode: UInt8(context % profileSlots))
    }

    /// The method's position 0..<5 in a context.
    @inline(__always)
    static func methodIndex(of context: UInt32) -> Int { Int(context % slotsPerCaller / profileSlots) }
}
