import FolkbokModel
import FolkbokNavet

/// Navet deliveries made from the synthetic population: what `folkbok generate N --format navet`
/// writes, for tests and benchmarks of the Navet import.
///
/// Guarantees:
/// - Deterministic: the same (count, files, seed, region, today, encoding) always give the same
///   bytes. The persons are `SyntheticPopulation`'s (same count, seed, region and today), in the
///   same order, spread over `files` files in that order (file i holds the i-th share).
/// - Every post is a whole record (`totalpost="J"`) that `NavetMapping` accepts, and maps to
///   exactly `Person.record` (the synthetic record without `contact`, `region`, which the import
///   gives, and with the call name the marking says), `Person.statusDate` and `Person.profile4`.
/// - What the posts exercise: å/ä/ö names, protection markings (`SkyddadFolkbokforing` present on
///   some posts only), call-name markings (some two-name, some absent), deregistrations with every
///   code the population has, incomplete dates (`00` day or month) on some deregistrations,
///   civil-status and immigration dates, postal codes written `NNN NN`, and P4 parts: civil
///   status, citizenships, birth place, immigration, relations (children, parents, spouses, a
///   few by `FodelsetidNr`) and `HanvisningsPersonNr` for old numbers (`GN`).
/// - The files of one delivery share a `BestallningsId` made from the seed, `AntalFiler` = files,
///   `FilNr` 1…files, and each file's `AntalPoster` is its own count.
public enum SyntheticNavet {
    /// One generated person: the post, and what reading it must give.
    public struct Person: Sendable {
        public var post: NavetPost
        public var record: PersonRecord
        public var statusDate: NavetDate?
        public var profile4: NavetProfile4
    }

    public static func people(count: Int, seed: UInt64, region: String?, today: CivilDate) -> some Sequence<Person> {
        let builder = NavetPersonBuilder(seed: seed, today: today)
        return SyntheticPopulation.make(count: count, seed: seed, region: region, today: today).lazy.map {
            builder.person(from: $0)
        }
    }

    /// `SyntheticPopulation`'s records, each with the P4 details its post in a delivery of the
    /// same (count, seed, region, today) carries: what `folkbok generate N --p4` writes.
    public static func recordsWithDetails(count: Int, seed: UInt64, region: String?, today: CivilDate)
        -> some Sequence<PersonRecord>
    {
        let builder = NavetPersonBuilder(seed: seed, today: today)
        return SyntheticPopulation.make(count: count, seed: seed, region: region, today: today).lazy.map {
            var record = $0
            record.details = builder.person(from: $0).record.details
            return record
        }
    }

    /// The persons of file `number` (1-based) of `files`: the `number`-th share of `0..<count`.
    public static func range(file number: Int, of files: Int, count: Int) -> Range<Int> {
        (count * (number - 1) / files)..<(count * number / files)
    }

    public static func header(file number: Int, of files: Int, count: Int, seed: UInt64, today: CivilDate)
        -> NavetFileHeader
    {
        let orderId = String(digits: seed % 100_000_000, width: 8) + "-FO01-0001"
        return NavetFileHeader(
            orderId: orderId, product: "NAVETAVISERING", fileName: "navet-\(number).xml",
            effectiveDate: NavetDate(today).navet, postCount: range(file: number, of: files, count: count).count,
            totalPostCount: count, fileCount: files, fileNumber: number)
    }

    /// Writes the delivery: `sink(fileNumber, bytes)` is called with each file's bytes in order,
    /// in pieces of about a megabyte, so no file is held whole.
    public static func write(
        count: Int, files: Int, seed: UInt64, region: String?, today: CivilDate, encoding: NavetWriter.Encoding = .utf8,
        to sink: (Int, [UInt8]) -> Void
    ) {
        precondition(files >= 1, "a delivery has at least one file")
        let writer = NavetWriter(encoding: encoding)
        var iterator = people(count: count, seed: seed, region: region, today: today).makeIterator()
        for number in 1...files {
            var buffer = writer.start(header: header(file: number, of: files, count: count, seed: seed, today: today))
            for _ in range(file: number, of: files, count: count) {
                guard let person = iterator.next() else { break }
                buffer += writer.post(person.post)
                if buffer.count >= 1 << 20 {
                    sink(number, buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            buffer += writer.end()
            sink(number, buffer)
        }
    }
}
