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

/// The detail tables of a store image (Snapshots/FORMAT.md, "Detail tables"): P4 details, then
/// P5 histories (a `u32` count and its entries in ascending key order), written after the
/// reserve links only when the store holds any (an image without them is byte for byte a
/// version 2 image). The P4 details are laid out as `StoreImageDetails` says: snapshot version
/// 3's entries by key (here), or version 4's blobs in row order (PersonStore+DetailBlobImage.swift).
extension PersonStore {
    /// Whether the store holds P4 details or P5 history (its image then needs format version 4).
    public var hasDetailTables: Bool { details.count > 0 || !histories.isEmpty }

    /// What the detail tables of an image being loaded hold until its rows are loaded.
    enum LoadedDetails {
        /// Version 3: each entry's key and where its details now lie in `details`.
        case entries([(key: UInt64, at: UInt32)])
        /// Version 4: the blobs, still in the image, and where they begin in it.
        case blobs(count: Int, bytes: UnsafeRawBufferPointer, imageOffset: Int)
    }

    func detailTablesByteCount(_ layout: StoreImageDetails) -> Int {
        guard hasDetailTables, layout != .absent else { return 0 }
        var counter = ImageSizeCounter()
        if layout == .entries { writeDetailEntries(into: &counter) } else { counter.bytes += detailBlobsByteCount }
        writeHistories(into: &counter)
        return counter.bytes
    }

    /// Writes the detail tables in `layout` (nothing for `.absent`: only tests ask for it).
    func writeDetailTables(_ layout: StoreImageDetails, into w: inout ImageWriter) {
        guard hasDetailTables, layout != .absent else { return }
        if layout == .entries { writeDetailEntries(into: &w) } else { writeDetailBlobs(into: &w) }
        writeHistories(into: &w)
    }

    /// Reads the detail tables of `layout` (`.entries` or `.blobs`); the P4 details are checked
    /// and attached to their rows by `attachDetails` once the rows are loaded (that each history
    /// belongs to a row with the matching flag is checked by the caller).
    mutating func readDetailTables(
        _ layout: StoreImageDetails, _ r: inout ImageReader
    ) throws(StoreImageError) -> LoadedDetails {
        let loaded = layout == .entries ? LoadedDetails.entries(try readDetailEntries(&r)) : try readDetailBlobs(&r)
        try readHistories(&r)
        return loaded
    }

    /// Points each row flagged `hasDetails` at its details, and checks that every flagged row
    /// has details and all details a flagged row.
    mutating func attachDetails(_ loaded: LoadedDetails?) throws(StoreImageError) {
        switch loaded {
        case .blobs(let count, let bytes, let imageOffset):
            try attachDetailBlobs(count: count, bytes: bytes, imageOffset: imageOffset)
        case .entries(let entries):
            try attachDetailEntries(entries)
            details.releaseSpareCapacity()
        case nil:
            try attachDetailEntries([])
        }
    }

    private func writeDetailEntries(into w: inout some ImageSink) {
        w.u32(UInt32(details.count))
        let detailed = rows.lazy.filter { $0.flags.contains(.hasDetails) }.map { (key: $0.key, at: $0.detailAt) }
        for (key, at) in detailed.sorted(by: { $0.key < $1.key }) {
            w.u64(key)
            details.withBlob(at: at) { DetailBlob.writeImage($0, into: &w) }
        }
    }

    private func writeHistories(into w: inout some ImageSink) {
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

    /// Reads version 3's P4 entries, checking key order, codes, dates and identity kinds;
    /// answers each entry's key and where its details now lie in `details`.
    private mutating func readDetailEntries(_ r: inout ImageReader) throws(StoreImageError) -> [(
        key: UInt64, at: UInt32
    )] {
        var last: UInt64?
        var entries: [(key: UInt64, at: UInt32)] = []
        let count = try r.count("details count", minimumSize: 23)
        entries.reserveCapacity(count)
        // Each blob with its length is smaller than its entry in the image.
        details.reserveCapacity(r.remaining)
        var blob: [UInt8] = []
        for _ in 0..<count {
            let key = try r.key(after: &last)
            blob.removeAll(keepingCapacity: true)
            guard try Self.readDetails(&r, into: &blob) else { throw r.fail("empty details entry") }
            entries.append((key, details.append(blob: blob)))
        }
        return entries
    }

    private mutating func readHistories(_ r: inout ImageReader) throws(StoreImageError) {
        var last: UInt64?
        for _ in 0..<(try r.count("history count", minimumSize: 12)) {
            let key = try r.key(after: &last)
            let count = try r.count("history entries of one person", minimumSize: 9)
            guard count > 0 else { throw r.fail("empty history") }
            var history: [HistoryEntry] = []
            history.reserveCapacity(count)
            for _ in 0..<count { history.append(try Self.readEntry(&r)) }
            setHistory(history, key: key)
        }
    }

    /// Points each row at its version 3 entry: every entry's key has a row flagged
    /// `hasDetails`, and every flagged row has an entry.
    /// The entries are looked up grouped by key-index region (`KeyIndex.groupedByRegion`), so
    /// the index is read one region at a time.
    private mutating func attachDetailEntries(_ entries: [(key: UInt64, at: UInt32)]) throws(StoreImageError) {
        for (key, entry) in KeyIndex.groupedByRegion(count: entries.count, key: { entries[$0].key }) {
            guard let row = index.row(for: key), rows[Int(row)].flags.contains(.hasDetails) else {
                throw StoreImageError(offset: 8, problem: "details entry without a flagged row")
            }
            rows[Int(row)].detailAt = entries[Int(entry)].at
        }
        guard rows.lazy.filter({ $0.flags.contains(.hasDetails) }).count == entries.count else {
            throw StoreImageError(offset: 8, problem: "details flag set on a row without an entry")
        }
    }

    /// Reads one P4 entry, checking codes, dates, kinds and UTF-8, and appends it encoded as
    /// the arena keeps it (`DetailBlob`), building no `PersonDetails`; answers whether it holds
    /// anything.
    private static func readDetails(_ r: inout ImageReader, into out: inout [UInt8]) throws(StoreImageError) -> Bool {
        out.append(0)
        var presence: UInt8 = 0
        if try flag(&r, "civil status presence") {
            presence |= DetailBlob.civil
            let at = r.offset
            let code = try r.requiredStringBytes("civil status code")
            guard PersonDetails.CivilStatus.codes.contains(String(decoding: code, as: UTF8.self)) else {
                throw r.fail("civil status code unknown", at: at)
            }
            DetailBlob.putString(code, into: &out)
            DetailBlob.putDate(try date(&r, "civil status date"), into: &out)
        }
        let citizenships = try r.count("citizenship count", minimumSize: 8)
        DetailBlob.putLength(citizenships, into: &out)
        for _ in 0..<citizenships {
            DetailBlob.putString(try r.requiredStringBytes("citizenship country"), into: &out)
            DetailBlob.putDate(try date(&r, "citizenship date"), into: &out)
        }
        let placeAt = r.offset
        switch try r.u8("birth place kind") {
        case 0: break
        case 1:
            presence |= DetailBlob.bornInSweden
            DetailBlob.putOptional(try r.stringBytes("birth county"), into: &out)
            DetailBlob.putOptional(try r.stringBytes("birth parish"), into: &out)
        case 2:
            presence |= DetailBlob.bornAbroad
            DetailBlob.putOptional(try r.stringBytes("birth place"), into: &out)
            DetailBlob.putOptional(try r.stringBytes("birth country"), into: &out)
        default: throw r.fail("birth place kind unknown", at: placeAt)
        }
        let immigration = try date(&r, "immigration date")
        if immigration != 0 {
            presence |= DetailBlob.immigration
            DetailBlob.putDate(immigration, into: &out)
        }
        let relations = try r.count("relation count", minimumSize: 14)
        DetailBlob.putLength(relations, into: &out)
        for _ in 0..<relations {
            let kindAt = r.offset
            let kind = try r.u8("relation kind")
            out.append(kind)
            switch kind {
            case 1: try identity(&r, into: &out)
            case 2: DetailBlob.putString(try r.requiredStringBytes("relation birth time"), into: &out)
            default: throw r.fail("relation kind unknown", at: kindAt)
            }
            let typeAt = r.offset
            let type = Int(try r.u8("relation type"))
            guard (1...PersonDetails.RelationType.allCases.count).contains(type) else {
                throw r.fail("relation type unknown", at: typeAt)
            }
            out.append(UInt8(type - 1))
            DetailBlob.putDate(try date(&r, "relation from"), into: &out)
            DetailBlob.putDate(try date(&r, "relation to"), into: &out)
        }
        if try flag(&r, "referredTo presence") {
            presence |= DetailBlob.referred
            try identity(&r, into: &out)
        }
        out[0] = presence
        return presence != 0 || citizenships > 0 || relations > 0
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

    /// A packed `RegisterDate`, 0 for none; any other value must be a valid date.
    private static func date(_ r: inout ImageReader, _ what: String) throws(StoreImageError) -> UInt32 {
        let at = r.offset
        let packed = try r.u32(what)
        guard packed == 0 || RegisterDate(packed: packed) != nil else { throw r.fail("\(what) invalid", at: at) }
        return packed
    }

    private static func identity(_ r: inout ImageReader, into out: inout [UInt8]) throws(StoreImageError) {
        let at = r.offset
        let code = try r.u8("identity kind")
        guard IdentityKind(diskCode: code) != nil else { throw r.fail("identity kind unknown", at: at) }
        let value = try r.requiredStringBytes("identity value")
        DetailBlob.putIdentity(code: code, value: value, issuer: try r.stringBytes("identity issuer"), into: &out)
    }
}
