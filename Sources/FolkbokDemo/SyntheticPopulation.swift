import FolkbokModel

/// A large synthetic population for load tests, generated lazily (nothing is held in memory).
///
/// Guarantees:
/// - Exactly `count` records; the same (count, seed, region, today) always gives the same
///   sequence, and iterating it twice gives the same records.
/// - Every id is a valid, unique 12-digit personnummer: born 1925-01-01 … 2025-12-31 and not
///   after `today`, serial 001–999, correct Luhn check digit over YYMMDDNNN. Uniqueness comes
///   from a keyed bijection (`IndexPermutation`) from the index onto (birth day, serial), so
///   `count` may not exceed days × 999 (≈ 36.9 M); larger counts are a precondition failure.
///   The numbers are not checked against Skatteverket's test numbers and may coincide with one.
/// - Attributes come from the same generator and with the same shares as `DemoPopulation`;
///   `test` is false, `version` 0.
/// - If `region` is a länskod ("01" … "25"), everyone lives in that county; `region` is written
///   to every record (nil: each record's region is its county).
public enum SyntheticPopulation {
    public static func make(count: Int, seed: UInt64, region: String?, today: CivilDate) -> some Sequence<PersonRecord>
    {
        SyntheticSequence(count: count, seed: seed, region: region, today: today)
    }

    /// The largest `count` allowed for `today`.
    public static func capacity(today: CivilDate) -> Int {
        BirthSpan(today: today).capacity
    }
}

/// The birth days (1925-01-01 up to 2025-12-31 or `today`) and serials synthetic numbers use.
struct BirthSpan: Sendable {
    static let serials = 999
    let firstDay: Int
    let dayCount: Int

    init(today: CivilDate) {
        firstDay = CivilDate(year: 1925, month: 1, day: 1)!.daysSinceEpoch
        let last = min(CivilDate(year: 2025, month: 12, day: 31)!.daysSinceEpoch, today.daysSinceEpoch)
        dayCount = max(0, last - firstDay + 1)
    }

    var capacity: Int { dayCount * BirthSpan.serials }
}

/// The lazy sequence behind `SyntheticPopulation.make`.
struct SyntheticSequence: Sequence, Sendable {
    let count: Int
    let factory: PersonFactory
    let span: BirthSpan
    let permutation: IndexPermutation?

    init(count: Int, seed: UInt64, region: String?, today: CivilDate) {
        span = BirthSpan(today: today)
        precondition(count >= 0 && count <= span.capacity, "count exceeds the unique personnummer available")
        self.count = count
        factory = PersonFactory(
            today: today, test: false, county: region, region: region,
            salt: SplitMix64.mix(seed ^ 0x666F_6C6B_626F_6B00))
        permutation = count == 0 ? nil : IndexPermutation(size: UInt64(span.capacity), key: seed)
    }

    func makeIterator() -> Iterator { Iterator(sequence: self) }

    struct Iterator: IteratorProtocol {
        let sequence: SyntheticSequence
        var index = 0

        mutating func next() -> PersonRecord? {
            guard index < sequence.count, let permutation = sequence.permutation else { return nil }
            let slot = Int(permutation.apply(UInt64(index)))
            index += 1
            let birth = CivilDate(daysSinceEpoch: sequence.span.firstDay + slot / BirthSpan.serials)
            let serial = 1 + slot % BirthSpan.serials
            let value = Personnummer.make(birth: birth, serial: serial)
            let number = UInt64(((birth.year * 100 + birth.month) * 100 + birth.day) * 10_000) + UInt64(serial * 10)
            let sex: Sex = serial % 2 == 1 ? .male : .female
            let factory = sequence.factory
            return factory.make(
                id: Identity(kind: .personnummer, value: value), birth: birth, sex: sex,
                seed: factory.seed(for: number))
        }
    }
}
