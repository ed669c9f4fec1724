import FolkbokModel

/// Where the detail tables are written: into the image, or only counted (so the size
/// `imageByteCount` declares and what `writeImage` writes come from the same code).
protocol ImageSink {
    mutating func u8(_ v: UInt8)
    mutating func u32(_ v: UInt32)
    mutating func u64(_ v: UInt64)
    mutating func string(_ s: String?)
    /// As `string`, from UTF-8 bytes (nil for none).
    mutating func string(utf8: UnsafeRawBufferPointer?)
}

extension ImageWriter: ImageSink {}

/// Counts the bytes an `ImageWriter` would write.
struct ImageSizeCounter: ImageSink {
    var bytes = 0
    mutating func u8(_ v: UInt8) { bytes += 1 }
    mutating func u32(_ v: UInt32) { bytes += 4 }
    mutating func u64(_ v: UInt64) { bytes += 8 }
    mutating func string(_ s: String?) { bytes += ImageWriter.size(s) }
    mutating func string(utf8: UnsafeRawBufferPointer?) { bytes += 4 + (utf8?.count ?? 0) }
}

/// The detail tables of a store image (Snapshots/FORMAT.md, "Detail tables", snapshot format
/// version 3): P4 details and P5 histories, each a `u32` count and its entries in ascending key
/// order, written after the reserve links only when the store holds any (an image without them
/// is byte for byte a version 2 image).
extension PersonStore {
    /// Whether the store holds P4 details or P5 history (its image then needs format version 3).
    public var hasDetailTables: Bool { details.count > 0 || !histories.isEmpty }

    var detailTablesByteCount: Int {
        guard hasDetailTables else { return 0 }
        var counter = ImageSizeCounter()
        writeDetailTables(into: &counter)
        return counter.bytes
    }

    func writeDetailTables(into w: inout some ImageSink) {
        w.u32(UInt32(details.count))
        let detailed = rows.lazy.filter { $0.flags.contains(.hasDetails) }.map { (key: $0.key, at: $0.detailAt) }
        for (key, at) in detailed.sorted(by: { $0.key < $1.key }) {
            w.u64(key)
            details.withBlob(at: at) { DetailBlob.writeImage($0, into: &w) }
        }
        w.u32(UInt32(histories.count))
        for (key, history) in histories.sorted(by: { $0.key < $1.key }) {
            w.u64(key)
            w.u32(UInt32(history.count))
            for e in history { Self.write(e, into: &w) }
        }
    }

    private static func write(_ e: HistoryEntry, into w: inout some ImageSink) {
        w.u8(e.field.code)
        switch e.value {
        case .name(let n):
            for s in [n.given, n.callName, n.middle, n.surname] { w.string(s) }
        case .address(let a), .specialAddress(let a):
            for s in [a.careOf, a.street, a.postalCode, a.city] { w.string(s) }
        case .foreignAddress(let f):
            w.u32(UInt32(f.lines.count))
            for line in f.lines { w.string(line) }
            w.string(f.country)
        case .municipality(let code):
            w.string(code)
        }
        w.u32(e.until.packed)
    }

    /// Reads the detail tables, checking key order, codes, dates and identity kinds; answers
    /// each P4 entry's key and where its details now lie in `details`, for `attachDetails` once
    /// the rows are loaded (that each history belongs to a row with the matching flag is
    /// checked by the caller).
    mutating func readDetailTables(_ r: inout ImageReader) throws(StoreImageError) -> [(key: UInt64, at: UInt32)] {
        var last: UInt64?
        var entries: [(key: UInt64, at: UInt32)] = []
        let count = try r.count("details count", minimumSize: 23)
        entries.reserveCapacity(count)
        for _ in 0..<count {
            let key = try r.key(after: &last)
            let d = try Self.readDetails(&r)
            guard !d.isEmpty else { throw r.fail("empty details entry") }
            entries.append((key, details.append(d)))
        }
        last = nil
        for _ in 0..<(try r.count("history count", minimumSize: 12)) {
            let key = try r.key(after: &last)
            let count = try r.count("history entries of one person", minimumSize: 9)
            guard count > 0 else { throw r.fail("empty history") }
            var history: [HistoryEntry] = []
            history.reserveCapacity(count)
            for _ in 0..<count { history.append(try Self.readEntry(&r)) }
            setHistory(history, key: key)
        }
        return entries
    }

    /// Points each row at its details: every entry's key has a row flagged `hasDetails`, and
    /// every flagged row has an entry.
    mutating func attachDetails(_ entries: [(key: UInt64, at: UInt32)]) throws(StoreImageError) {
        for (key, at) in entries {
            guard let row = index.row(for: key), rows[Int(row)].flags.contains(.hasDetails) else {
                throw StoreImageError(offset: 8, problem: "details entry without a flagged row")
            }
            rows[Int(row)].detailAt = at
        }
        guard rows.lazy.filter({ $0.flags.contains(.hasDetails) }).count == entries.count else {
            throw StoreImageError(offset: 8, problem: "details flag set on a row without an entry")
        }
    }

    private static func readDetails(_ r: inout ImageReader) throws(StoreImageError) -> PersonDetails {
        var d = PersonDetails()
        if try flag(&r, "civil status presence") {
            let at = r.offset
            let code = try r.requiredString("civil status code")
            guard PersonDetails.CivilStatus.codes.contains(code) else {
                throw r.fail("civil status code unknown", at: at)
            }
            d.civilStatus = PersonDetails.CivilStatus(code: code, date: try date(&r, "civil status date"))
        }
        for _ in 0..<(try r.count("citizenship count", minimumSize: 8)) {
            let country = try r.requiredString("citizenship country")
            d.citizenships.append(PersonDetails.Citizenship(country: country, date: try date(&r, "citizenship date")))
        }
        let placeAt = r.offset
        switch try r.u8("birth place kind") {
        case 0: break
        case 1: d.birthPlace = .sweden(county: try r.string("birth county"), parish: try r.string("birth parish"))
        case 2: d.birthPlace = .abroad(place: try r.string("birth place"), country: try r.string("birth country"))
        default: throw r.fail("birth place kind unknown", at: placeAt)
        }
        d.immigrationDate = try date(&r, "immigration date")
        for _ in 0..<(try r.count("relation count", minimumSize: 14)) {
            let kindAt = r.offset
            let person: PersonDetails.RelatedPerson
            switch try r.u8("relation kind") {
            case 1: person = .identity(try identity(&r))
            case 2: person = .birthTime(try r.requiredString("relation birth time"))
            default: throw r.fail("relation kind unknown", at: kindAt)
            }
            let typeAt = r.offset
            let type = Int(try r.u8("relation type"))
            guard (1...PersonDetails.RelationType.allCases.count).contains(type) else {
                throw r.fail("relation type unknown", at: typeAt)
            }
            d.relations.append(
                PersonDetails.Relation(
                    id: person, type: PersonDetails.RelationType.allCases[type - 1],
                    from: try date(&r, "relation from"), to: try date(&r, "relation to")))
        }
        if try flag(&r, "referredTo presence") { d.referredTo = try identity(&r) }
        return d
    }

    private static func readEntry(_ r: inout ImageReader) throws(StoreImageError) -> HistoryEntry {
        let at = r.offset
        guard let field = HistoryField(code: try r.u8("history field")) else {
            throw r.fail("history field unknown", at: at)
        }
        let value: HistoryValue
        switch field {
        case .name:
            value = .name(
                PersonName(
                    given: try r.string("history name"), callName: try r.string("history name"),
                    middle: try r.string("history name"), surname: try r.string("history name")))
        case .address, .specialAddress:
            let a = PostalAddress(
                careOf: try r.string("history address"), street: try r.string("history address"),
                postalCode: try r.string("history address"), city: try r.string("history address"))
            value = field == .address ? .address(a) : .specialAddress(a)
        case .foreignAddress:
            var lines: [String] = []
            for _ in 0..<(try r.count("history foreign lines", minimumSize: 4)) {
                lines.append(try r.requiredString("history foreign line"))
            }
            value = .foreignAddress(ForeignAddress(lines: lines, country: try r.string("history foreign country")))
        case .municipality:
            value = .municipality(try r.requiredString("history municipality"))
        }
        let dateAt = r.offset
        guard let until = CivilDate(packed: try r.u32("history until")) else {
            throw r.fail("history date invalid", at: dateAt)
        }
        return HistoryEntry(value: value, until: until)
    }

    private static func flag(_ r: inout ImageReader, _ what: String) throws(StoreImageError) -> Bool {
        let at = r.offset
        switch try r.u8(what) {
        case 0: return false
        case 1: return true
        default: throw r.fail("\(what) not 0 or 1", at: at)
        }
    }

    private static func date(_ r: inout ImageReader, _ what: String) throws(StoreImageError) -> RegisterDate? {
        let at = r.offset
        let packed = try r.u32(what)
        if packed == 0 { return nil }
        guard let d = RegisterDate(packed: packed) else { throw r.fail("\(what) invalid", at: at) }
        return d
    }

    private static func identity(_ r: inout ImageReader) throws(StoreImageError) -> Identity {
        let at = r.offset
        guard let kind = IdentityKind(diskCode: try r.u8("identity kind")) else {
            throw r.fail("identity kind unknown", at: at)
        }
        return Identity(
            kind: kind, value: try r.requiredString("identity value"), issuer: try r.string("identity issuer"))
    }
}
