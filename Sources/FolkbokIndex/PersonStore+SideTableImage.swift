import FolkbokModel

/// The side tables' part of a store image (Snapshots/FORMAT.md, "Side tables"): special
/// addresses, foreign addresses, contacts and reserve links, each a `u32` count and its entries
/// in ascending key order. They are small (a few percent of persons), so a plain codec will do.
extension PersonStore {
    /// Bytes `writeSideTables` writes.
    var sideTablesByteCount: Int {
        var n = 16 + contacts.count * 32
        for a in specialAddresses.values {
            n +=
                8 + ImageWriter.size(a.careOf) + ImageWriter.size(a.street) + ImageWriter.size(a.postalCode)
                + ImageWriter.size(a.city)
        }
        for f in foreignAddresses.values {
            n += 12 + f.lines.reduce(0) { $0 + ImageWriter.size($1) } + ImageWriter.size(f.country)
        }
        for links in reserveLinks.values {
            n += 12 + links.reduce(0) { $0 + 1 + ImageWriter.size($1.value) + ImageWriter.size($1.issuer) }
        }
        return n
    }

    func writeSideTables(into w: inout ImageWriter) {
        w.u32(UInt32(specialAddresses.count))
        for (key, a) in specialAddresses.sorted(by: { $0.key < $1.key }) {
            w.u64(key)
            for s in [a.careOf, a.street, a.postalCode, a.city] { w.string(s) }
        }
        w.u32(UInt32(foreignAddresses.count))
        for (key, f) in foreignAddresses.sorted(by: { $0.key < $1.key }) {
            w.u64(key)
            w.u32(UInt32(f.lines.count))
            for line in f.lines { w.string(line) }
            w.string(f.country)
        }
        w.u32(UInt32(contacts.count))
        for (key, c) in contacts.sorted(by: { $0.key < $1.key }) {
            w.u64(key)
            for v in [c.email, c.phone, c.source, c.consentDate] { w.u32(v) }
            w.u64(c.version)
        }
        w.u32(UInt32(reserveLinks.count))
        for (key, links) in reserveLinks.sorted(by: { $0.key < $1.key }) {
            w.u64(key)
            w.u32(UInt32(links.count))
            for id in links {
                w.u8(id.kind.diskCode)
                w.string(id.value)
                w.string(id.issuer)
            }
        }
    }

    /// Reads the side tables, checking key order, string ids, dates and identity kinds (that
    /// each entry belongs to a row with the matching flag is checked by the caller).
    mutating func readSideTables(_ r: inout ImageReader) throws(StoreImageError) {
        let stringLimit = UInt32(strings.count)
        var last: UInt64?
        for _ in 0..<(try r.count("special address count", minimumSize: 24)) {
            let key = try r.key(after: &last)
            specialAddresses[key] = PostalAddress(
                careOf: try r.string("special careOf"), street: try r.string("special street"),
                postalCode: try r.string("special postalCode"), city: try r.string("special city"))
        }
        last = nil
        for _ in 0..<(try r.count("foreign address count", minimumSize: 16)) {
            let key = try r.key(after: &last)
            var lines: [String] = []
            for _ in 0..<(try r.count("foreign line count", minimumSize: 4)) {
                lines.append(try r.requiredString("foreign line"))
            }
            foreignAddresses[key] = ForeignAddress(lines: lines, country: try r.string("foreign country"))
        }
        last = nil
        let contactCount = try r.count("contact count", minimumSize: 32)
        contacts.reserveCapacity(contactCount)
        for _ in 0..<contactCount {
            let key = try r.key(after: &last)
            let at = r.offset
            let c = ContactRow(
                email: try r.u32("contact email"), phone: try r.u32("contact phone"),
                source: try r.u32("contact source"),
                consentDate: try r.u32("contact consent date"), version: try r.u64("contact version"))
            guard c.email <= stringLimit, c.phone <= stringLimit, c.source != 0, c.source <= stringLimit else {
                throw r.fail("contact string id out of range", at: at)
            }
            guard CivilDate(packed: c.consentDate) != nil else { throw r.fail("contact consent date invalid", at: at) }
            contacts[key] = c
        }
        last = nil
        for _ in 0..<(try r.count("reserve link count", minimumSize: 21)) {
            let key = try r.key(after: &last)
            var links: [Identity] = []
            let count = try r.count("reserve links of one person", minimumSize: 9)
            guard count > 0 else { throw r.fail("empty reserve link list") }
            for _ in 0..<count {
                let at = r.offset
                guard let kind = IdentityKind(diskCode: try r.u8("identity kind")) else {
                    throw r.fail("identity kind unknown", at: at)
                }
                links.append(
                    Identity(
                        kind: kind, value: try r.requiredString("identity value"),
                        issuer: try r.string("identity issuer")))
            }
            reserveLinks[key] = links
        }
    }
}

extension ImageReader {
    /// A side-table key, which must be above `previous` (keys ascend strictly); updates `previous`.
    mutating func key(after previous: inout UInt64?) throws(StoreImageError) -> UInt64 {
        let at = offset
        let key = try u64("side table key")
        if let last = previous, key <= last { throw fail("side table keys not in ascending order", at: at) }
        previous = key
        return key
    }
}
