import FolkbokModel

/// The encoding of one `PersonDetails` that the arena keeps and snapshot format version 4
/// stores as it is (Snapshots/FORMAT.md, "Detail tables"; frozen: changing it needs a new
/// format version): a presence byte, then the parts present. Strings are a LEB128 length and
/// UTF-8 bytes (optional ones length + 1, 0 for nil), dates `RegisterDate.packed` as 4 bytes
/// (0 for nil), counts LEB128, identities as `putIdentity`.
///
/// Guarantees: `decode(encode(d)) == d`; blobs from a snapshot are read only after
/// `problem(in:)` passed them (DetailBlob+Check.swift).
enum DetailBlob {
    static let civil: UInt8 = 1, immigration: UInt8 = 2, referred: UInt8 = 4
    static let bornInSweden: UInt8 = 8, bornAbroad: UInt8 = 16

    static func encode(_ d: PersonDetails, into out: inout [UInt8]) {
        var presence: UInt8 = 0
        if d.civilStatus != nil { presence |= civil }
        if d.immigrationDate != nil { presence |= immigration }
        if d.referredTo != nil { presence |= referred }
        switch d.birthPlace {
        case nil: break
        case .sweden?: presence |= bornInSweden
        case .abroad?: presence |= bornAbroad
        }
        out.append(presence)
        if let c = d.civilStatus {
            string(c.code, into: &out)
            date(c.date, into: &out)
        }
        putLength(d.citizenships.count, into: &out)
        for c in d.citizenships {
            string(c.country, into: &out)
            date(c.date, into: &out)
        }
        switch d.birthPlace {
        case nil: break
        case .sweden(let a, let b)?, .abroad(let a, let b)?:
            optional(a, into: &out)
            optional(b, into: &out)
        }
        if let i = d.immigrationDate { date(i, into: &out) }
        putLength(d.relations.count, into: &out)
        for r in d.relations {
            switch r.id {
            case .identity(let id):
                out.append(1)
                identity(id, into: &out)
            case .birthTime(let value):
                out.append(2)
                string(value, into: &out)
            }
            out.append(UInt8(PersonDetails.RelationType.allCases.firstIndex(of: r.type)!))
            date(r.from, into: &out)
            date(r.to, into: &out)
        }
        if let id = d.referredTo { identity(id, into: &out) }
    }

    /// Decodes what `encode` wrote or `problem(in:)` passed (the arena holds nothing else, so
    /// nothing is checked).
    static func decode(_ blob: UnsafeRawBufferPointer) -> PersonDetails {
        var r = Reader(bytes: blob)
        var d = PersonDetails()
        let presence = r.byte()
        if presence & civil != 0 {
            d.civilStatus = PersonDetails.CivilStatus(code: r.string(), date: r.date())
        }
        let citizenships = r.length()
        if citizenships > 0 {
            d.citizenships.reserveCapacity(citizenships)
            for _ in 0..<citizenships {
                d.citizenships.append(PersonDetails.Citizenship(country: r.string(), date: r.date()))
            }
        }
        if presence & bornInSweden != 0 { d.birthPlace = .sweden(county: r.optional(), parish: r.optional()) }
        if presence & bornAbroad != 0 { d.birthPlace = .abroad(place: r.optional(), country: r.optional()) }
        if presence & immigration != 0 { d.immigrationDate = r.date() }
        let relations = r.length()
        if relations > 0 {
            d.relations.reserveCapacity(relations)
            for _ in 0..<relations {
                let person: PersonDetails.RelatedPerson =
                    r.byte() == 1 ? .identity(r.identity()) : .birthTime(r.string())
                let type = PersonDetails.RelationType.allCases[Int(r.byte())]
                d.relations.append(PersonDetails.Relation(id: person, type: type, from: r.date(), to: r.date()))
            }
        }
        if presence & referred != 0 { d.referredTo = r.identity() }
        return d
    }

    /// Writes the details as a version 3 entry (Snapshots/FORMAT.md, "Detail tables")
    /// straight from the blob, building no `PersonDetails`: what writing `decode(blob)` field
    /// by field would write.
    static func writeImage(_ blob: UnsafeRawBufferPointer, into w: inout some ImageSink) {
        var r = Reader(bytes: blob)
        let presence = r.byte()
        if presence & civil != 0 {
            w.u8(1)
            w.string(utf8: r.stringBytes())
            w.u32(r.packedDate())
        } else {
            w.u8(0)
        }
        let citizenships = r.length()
        w.u32(UInt32(citizenships))
        for _ in 0..<citizenships {
            w.string(utf8: r.stringBytes())
            w.u32(r.packedDate())
        }
        if presence & (bornInSweden | bornAbroad) != 0 {
            w.u8(presence & bornInSweden != 0 ? 1 : 2)
            w.string(utf8: r.optionalBytes())
            w.string(utf8: r.optionalBytes())
        } else {
            w.u8(0)
        }
        w.u32(presence & immigration != 0 ? r.packedDate() : 0)
        let relations = r.length()
        w.u32(UInt32(relations))
        for _ in 0..<relations {
            let kind = r.byte()
            w.u8(kind)
            if kind == 1 { writeIdentity(&r, into: &w) } else { w.string(utf8: r.stringBytes()) }
            w.u8(r.byte() + 1)
            w.u32(r.packedDate())
            w.u32(r.packedDate())
        }
        if presence & referred != 0 {
            w.u8(1)
            writeIdentity(&r, into: &w)
        } else {
            w.u8(0)
        }
    }

    private static func writeIdentity(_ r: inout Reader, into w: inout some ImageSink) {
        r.withIdentity { code, value, issuer in
            w.u8(code)
            w.string(utf8: value)
            w.string(utf8: issuer)
        }
    }

    static func putLength(_ n: Int, into out: inout [UInt8]) {
        var v = UInt(n)
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    static func readLength(_ bytes: UnsafeRawBufferPointer, _ offset: inout Int) -> Int {
        var v = 0, shift = 0
        while true {
            let b = bytes[offset]
            offset += 1
            v |= Int(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
        }
    }

    /// Bytes `putLength(n)` writes.
    static func lengthSize(_ n: Int) -> Int {
        var size = 1, v = UInt(n)
        while v >= 0x80 {
            size += 1
            v >>= 7
        }
        return size
    }

    /// Bytes of the length prefix of the blob at `at`.
    static func lengthSize(at: UInt32, in bytes: [UInt8]) -> Int {
        var n = 1
        while bytes[Int(at) + n - 1] >= 0x80 { n += 1 }
        return n
    }

    private static func string(_ s: String, into out: inout [UInt8]) {
        putLength(s.utf8.count, into: &out)
        out += s.utf8
    }

    private static func optional(_ s: String?, into out: inout [UInt8]) {
        guard let s else { return out.append(0) }
        putLength(s.utf8.count + 1, into: &out)
        out += s.utf8
    }

    private static func date(_ d: RegisterDate?, into out: inout [UInt8]) { putDate(d?.packed ?? 0, into: &out) }

    static func putString(_ utf8: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        putLength(utf8.count, into: &out)
        out += utf8
    }

    static func putOptional(_ utf8: UnsafeRawBufferPointer?, into out: inout [UInt8]) {
        guard let utf8 else { return out.append(0) }
        putLength(utf8.count + 1, into: &out)
        out += utf8
    }

    static func putDate(_ packed: UInt32, into out: inout [UInt8]) {
        withUnsafeBytes(of: packed.littleEndian) { out += $0 }
    }

    private static func identity(_ id: Identity, into out: inout [UInt8]) {
        var value = id.value
        value.withUTF8 { v in
            guard var issuer = id.issuer else {
                return putIdentity(code: id.kind.diskCode, value: UnsafeRawBufferPointer(v), issuer: nil, into: &out)
            }
            issuer.withUTF8 {
                putIdentity(
                    code: id.kind.diskCode, value: UnsafeRawBufferPointer(v), issuer: UnsafeRawBufferPointer($0),
                    into: &out)
            }
        }
    }

    /// An identity: its kind's disk code, the value and the issuer. A value of exactly twelve
    /// ASCII digits with no issuer (a personnummer or samordningsnummer, what relations mostly
    /// hold) is the code + 0x80 and the number in five bytes: 6 bytes instead of 15.
    static func putIdentity(
        code: UInt8, value: UnsafeRawBufferPointer, issuer: UnsafeRawBufferPointer?, into out: inout [UInt8]
    ) {
        if issuer == nil, value.count == 12, value.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            var n: UInt64 = 0
            for b in value { n = n * 10 + UInt64(b - 0x30) }
            out.append(code | 0x80)
            for i in 0..<5 { out.append(UInt8(truncatingIfNeeded: n >> (8 * UInt64(i)))) }
            return
        }
        out.append(code)
        putString(value, into: &out)
        putOptional(issuer, into: &out)
    }

    private struct Reader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        mutating func byte() -> UInt8 {
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func length() -> Int { DetailBlob.readLength(bytes, &offset) }

        mutating func take(_ n: Int) -> UnsafeRawBufferPointer {
            defer { offset += n }
            return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + n])
        }

        mutating func stringBytes() -> UnsafeRawBufferPointer { take(length()) }

        mutating func optionalBytes() -> UnsafeRawBufferPointer? {
            let n = length()
            return n == 0 ? nil : take(n - 1)
        }

        mutating func string() -> String { String(decoding: stringBytes(), as: UTF8.self) }

        mutating func optional() -> String? { optionalBytes().map { String(decoding: $0, as: UTF8.self) } }

        mutating func packedDate() -> UInt32 {
            defer { offset += 4 }
            return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
        }

        mutating func date() -> RegisterDate? {
            let packed = packedDate()
            return packed == 0 ? nil : RegisterDate(packed: packed)
        }

        /// Calls `body` with an identity's disk code, value and issuer as `putIdentity` wrote
        /// them (the bytes are valid only inside `body`).
        mutating func withIdentity<T>(
            _ body: (UInt8, UnsafeRawBufferPointer, UnsafeRawBufferPointer?) -> T
        ) -> T {
            let code = byte()
            guard code & 0x80 != 0 else {
                let value = stringBytes()
                return body(code, value, optionalBytes())
            }
            var n: UInt64 = 0
            for i in 0..<5 { n |= UInt64(byte()) << (8 * UInt64(i)) }
            var digits: (UInt64, UInt64) = (0, 0)
            return withUnsafeMutableBytes(of: &digits) { buffer in
                for i in stride(from: 11, through: 0, by: -1) {
                    buffer[i] = UInt8(0x30 + n % 10)
                    n /= 10
                }
                return body(code & 0x7F, UnsafeRawBufferPointer(rebasing: buffer[0..<12]), nil)
            }
        }

        mutating func identity() -> Identity {
            withIdentity { code, value, issuer in
                Identity(
                    kind: IdentityKind(diskCode: code)!, value: String(decoding: value, as: UTF8.self),
                    issuer: issuer.map { String(decoding: $0, as: UTF8.self) })
            }
        }
    }
}
