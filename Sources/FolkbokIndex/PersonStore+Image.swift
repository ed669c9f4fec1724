import FolkbokModel

/// A `PersonStore` as one packed image, the body of a version 2 snapshot (Snapshots/FORMAT.md,
/// "Store image"): `u64` row count R, R rows of `RowImage.width` bytes in storage order, the
/// string pool, the code pool, then the side tables. The key index, the pools' hash tables and
/// the search index are not stored; loading rebuilds the first two, and the search index is
/// built later (`trimAndRebuildSearchIndex`, or the first search), so a restart answers
/// lookups without waiting for it. A store with P4 details or P5
/// history appends its detail tables (PersonStore+DetailImage.swift): laid out as snapshot
/// version 4 has them (`StoreImageDetails.blobs`) when written; all three layouts are read.
///
/// Guarantees: `PersonStore(image:)` of what `writeImage` wrote holds the same records
/// (`record(for:)` answers identically for every key) in the same row order. Any other input is
/// either a store every field of which is within range — string and code ids inside their
/// pools, codes and dates valid, keys unique, side tables matching the row flags — or throws a
/// `StoreImageError`; it never traps and never reads outside the buffer.
extension PersonStore {
    /// Bytes `writeImage` appends.
    /// - Complexity: O(side tables + rows with P4 details).
    public var imageByteCount: Int { imageByteCount(details: .blobs) }

    /// Bytes `writeImage(into:details:)` appends.
    func imageByteCount(details layout: StoreImageDetails) -> Int {
        8 + rows.count * RowImage.width + strings.imageByteCount + codes.imageByteCount + sideTablesByteCount
            + detailTablesByteCount(layout)
    }

    /// Appends the store's image (exactly `imageByteCount` bytes) to `bytes`, its detail tables
    /// laid out as snapshot format version 4 has them.
    /// - Complexity: O(image size).
    public func writeImage(into bytes: inout [UInt8]) { writeImage(into: &bytes, details: .blobs) }

    /// As `writeImage(into:)`, with the detail tables in `layout` (tests write the older
    /// layouts, which old snapshots hold, to check their readers).
    func writeImage(into bytes: inout [UInt8], details layout: StoreImageDetails) {
        let size = imageByteCount(details: layout)
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: size))
        bytes.withUnsafeMutableBytes { all in
            var w = ImageWriter(UnsafeMutableRawBufferPointer(rebasing: all[start...]))
            w.u64(UInt64(rows.count))
            let out = w.reserve(rows.count * RowImage.width)
            let rowCodes = RowCodes.shared
            rows.withUnsafeBufferPointer { rows in
                for i in rows.indices { RowImage.write(rows[i], to: out + i * RowImage.width, codes: rowCodes) }
            }
            strings.writeImage(into: &w)
            codes.writeImage(into: &w)
            writeSideTables(into: &w)
            writeDetailTables(layout, into: &w)
            precondition(w.offset == size, "store image size differs from imageByteCount")
        }
    }

    /// Loads a store from an image, validating every field (see the type's guarantees).
    /// `details` says how detail tables after the side tables are laid out (by the snapshot's
    /// format version; a version 2 image has none).
    /// - Complexity: O(image size) plus one key-index insert per row.
    public init(image: UnsafeRawBufferPointer, details layout: StoreImageDetails = .blobs) throws(StoreImageError) {
        self.init()
        var r = ImageReader(image)
        let count = try r.u64("row count")
        guard count <= UInt64(r.remaining / RowImage.width) else {
            throw r.fail("row count larger than the image", at: 0)
        }
        let rowCount = Int(count)
        let rowBytes = try r.take(rowCount * RowImage.width, "rows")
        strings = try StringPool(image: &r, maxCount: Int(UInt32.max) - 2, what: "string pool")
        codes = try StringPool(image: &r, maxCount: Int(UInt16.max), what: "code pool")
        try readSideTables(&r)
        let detailTables = layout != .absent && r.remaining > 0 ? try readDetailTables(layout, &r) : nil
        guard r.remaining == 0 else { throw r.fail("bytes after the side tables") }
        try loadRows(rowBytes, count: rowCount)
        try attachDetails(detailTables)
        try checkSideTablesMatchFlags()
        search = .deferred()
    }

    private mutating func loadRows(_ bytes: UnsafeRawBufferPointer, count: Int) throws(StoreImageError) {
        let stringLimit = UInt32(strings.count), codeLimit = UInt16(codes.count)
        let rowCodes = RowCodes.shared
        var failure: (row: Int, problem: String)?
        // (Empty: the plain empty array; see PostingRun.)
        rows =
            count == 0
            ? []
            : [PersonRow](unsafeUninitializedCapacity: count) { buffer, initialized in
                initialized = 0
                for i in 0..<count {
                    guard let row = RowImage.read(bytes.baseAddress! + i * RowImage.width, codes: rowCodes) else {
                        failure = (i, "row code or flag byte out of range")
                        return
                    }
                    if let problem = Self.problem(in: row, stringLimit: stringLimit, codeLimit: codeLimit) {
                        failure = (i, problem)
                        return
                    }
                    buffer.initializeElement(at: i, to: row)
                    initialized = i + 1
                }
            }
        if let failure { throw StoreImageError(offset: 8 + failure.row * RowImage.width, problem: failure.problem) }
        let built = rows.withUnsafeBufferPointer { rows in KeyIndex.build(count: count) { rows[$0].key } }
        if let twice = built.duplicateRow {
            throw StoreImageError(offset: 8 + twice * RowImage.width, problem: "row key occurs twice")
        }
        index = built.index
    }

    /// What is wrong with a decoded row, nil if nothing.
    @inline(__always)
    private static func problem(in row: PersonRow, stringLimit: UInt32, codeLimit: UInt16) -> String? {
        if row.key == KeyIndex.empty { return "row key is the reserved value" }
        let names = max(row.given, row.callName, row.middle, row.surname)
        let address = max(row.careOf, row.street, row.postalCode, row.city)
        if max(names, address) > stringLimit { return "row string id out of range" }
        if !row.flags.contains(.hasAddress) && address != 0 { return "row has address fields but no address" }
        if max(row.county, row.municipality, row.region) > codeLimit { return "row code id out of range" }
        if row.birthDate != 0 && CivilDate(packed: row.birthDate) == nil { return "row birth date invalid" }
        if row.statusDate != 0 && RegisterDate(packed: row.statusDate) == nil { return "row status date invalid" }
        return nil
    }

    /// Every side-table entry belongs to a row flagged for it, and every flagged row has one
    /// (P4 details: `attachDetails`).
    private func checkSideTablesMatchFlags() throws(StoreImageError) {
        let tables: [(PersonRow.Flags, [UInt64], String)] = [
            (.hasSpecialAddress, Array(specialAddresses.keys), "special address"),
            (.hasForeignAddress, Array(foreignAddresses.keys), "foreign address"),
            (.hasContact, Array(contacts.keys), "contact"),
            (.hasReserveLinks, Array(reserveLinks.keys), "reserve links"),
            (.hasHistory, Array(histories.keys), "history"),
        ]
        var flagged = [Int](repeating: 0, count: tables.count)
        for row in rows where row.flags.rawValue & ~PersonRow.Flags([.test, .hasAddress]).rawValue != 0 {
            for (t, table) in tables.enumerated() where row.flags.contains(table.0) { flagged[t] += 1 }
        }
        for (t, (flag, keys, name)) in tables.enumerated() {
            for key in keys {
                guard let at = index.row(for: key), rows[Int(at)].flags.contains(flag) else {
                    throw StoreImageError(offset: 8, problem: "\(name) entry without a flagged row")
                }
            }
            guard keys.count == flagged[t] else {
                throw StoreImageError(offset: 8, problem: "\(name) flag set on a row without an entry")
            }
        }
    }
}

/// How the P4 details of a store image are laid out, by snapshot format version
/// (Snapshots/FORMAT.md, "Detail tables").
public enum StoreImageDetails: Sendable {
    /// Version 2: no detail tables.
    case absent
    /// Version 3: an entry per person, by key, every field written out.
    case entries
    /// Version 4: the blobs the memory arena keeps (`DetailBlob`), one per flagged row, in row
    /// order.
    case blobs

    /// The layout of a snapshot of format `version` (2 or later).
    public init(snapshotVersion version: UInt32) {
        self = version <= 2 ? .absent : version == 3 ? .entries : .blobs
    }
}
