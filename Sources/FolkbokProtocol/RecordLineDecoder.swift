import FolkbokJSON
import FolkbokModel
import Glibc

/// Reads an import line straight from its bytes into a `PersonRecord`, without a `JSONValue`
/// tree: the fast path of `RecordDecoder.decode(JSONParser.parse(line))`, the model it follows.
///
/// Guarantees: a record it answers is exactly the record the model answers for the same line
/// (`RecordLineDecoderTests` compares them over generated and mutated lines). It answers nil
/// for anything unusual — a line the model would reject, a duplicate key it reads itself, an
/// escaped key, an escape in a text it only parses (identity, kind, birth date, sex,
/// protection), a value of another type than the usual one — and the caller then runs the
/// model, which gives the rejection and its reason. The person fields are read here; the rare
/// parts (`foreignAddress`, `contact` and the P4 keys) are parsed as values and read by the
/// model's own functions, except a `null`, which the model reads as absent.
public enum RecordLineDecoder {
    /// The record on `line`, or nil when the model has to decide.
    public static func decode(_ line: UnsafeBufferPointer<UInt8>, today: CivilDate) -> PersonRecord? {
        guard let base = line.baseAddress else { return nil }
        var reader = JSONPullReader(base: base, count: line.count)
        return try? read(&reader, today: today)
    }

    /// Anything the fast path leaves to the model.
    private struct Unusual: Error {}

    /// The top-level keys read here; each may appear once.
    private enum Field: UInt32 {
        case id, name, birthDate, sex, address, specialAddress, county, municipality, protection, test, status
        case region
    }

    /// A record whose identity is set last (a field may come before `id`).
    private static let unidentified = PersonRecord(
        id: try! IdentityParser.parse("191212121212", today: CivilDate(year: 2000, month: 1, day: 1)!))

    /// The record is filled in place, field by field; the texts that are only parsed (identity,
    /// kind, birth date, sex, protection) are read as bytes, with no `String` made for them.
    private static func read(_ p: inout JSONPullReader, today: CivilDate) throws -> PersonRecord {
        guard try p.beginObject() else { throw Unusual() }
        var seen: UInt32 = 0, rareSeen: UInt8 = 0
        var r = unidentified
        var idText: UnsafeBufferPointer<UInt8>?, kindText: UnsafeBufferPointer<UInt8>?
        var birthText: UnsafeBufferPointer<UInt8>?, sexText: UnsafeBufferPointer<UInt8>?
        var protectionText: UnsafeBufferPointer<UInt8>?
        var rare = JSONObject()
        repeat {
            let k = try p.key()
            guard let field = field(k) else {
                if let bit = rareBit(k) {
                    // The model reads a rare key's `null` as its absence, and a repeated key
                    // by its last value: a `null` is passed over, and a repeat left to the model.
                    guard rareSeen & bit == 0 else { throw Unusual() }
                    rareSeen |= bit
                    if try !p.null() { rare.members.append((String(decoding: k, as: UTF8.self), try p.value())) }
                } else {
                    try p.skipValue()
                }
                continue
            }
            let bit: UInt32 = 1 << field.rawValue
            guard seen & bit == 0 else { throw Unusual() }
            seen |= bit
            switch field {
            case .id: (idText, kindText) = try identity(&p)
            case .name: r.name = try personName(&p) ?? PersonName()
            case .birthDate: birthText = try p.plainStringOrNull()
            case .sex: sexText = try p.plainStringOrNull()
            case .address: r.address = try postalAddress(&p)
            case .specialAddress: r.specialAddress = try postalAddress(&p)
            case .county: r.county = try code(&p, digits: 2)
            case .municipality: r.municipality = try code(&p, digits: 4)
            case .protection: protectionText = try p.plainStringOrNull()
            case .test: r.test = try p.null() ? false : try p.bool()
            case .status: r.status = try personStatus(&p) ?? PersonStatus()
            case .region: r.region = try code(&p, digits: 2)
            }
        } while try p.nextMember()
        try p.finish()

        guard let idText else { throw Unusual() }
        let id = try IdentityParser.parse(utf8: idText, today: today)
        guard id.kind != .reserve, kindText.map({ equal($0, name(of: id.kind)) }) ?? true else { throw Unusual() }
        r.id = id
        if let birthText {
            guard let d = CivilDate(isoUTF8: birthText) else { throw Unusual() }
            r.birthDate = d
        } else {
            r.birthDate = id.impliedBirthDate
        }
        if let sexText {
            guard let s = sex(sexText) else { throw Unusual() }
            r.sex = s
        } else {
            r.sex = id.impliedSex
        }
        if let protectionText {
            guard let protection = Protection.allCases.first(where: { equal(protectionText, $0.staticWireName) })
            else { throw Unusual() }
            r.protection = protection
        }
        if !rare.members.isEmpty {
            r.foreignAddress = try RecordDecoder.foreignAddress(rare)
            r.details = try RecordDecoder.readDetails(rare, today: today)
            r.contact = try RecordDecoder.contact(rare)
        }
        return r
    }

    private static func sex(_ text: UnsafeBufferPointer<UInt8>) -> Sex? {
        guard text.count == 1 else { return nil }
        switch text[0] {
        case UInt8(ascii: "F"): return .female
        case UInt8(ascii: "M"): return .male
        default: return nil
        }
    }

    private static func field(_ k: UnsafeBufferPointer<UInt8>) -> Field? {
        switch k.count {
        case 2: return equal(k, "id") ? .id : nil
        case 3: return equal(k, "sex") ? .sex : nil
        case 4: return equal(k, "name") ? .name : equal(k, "test") ? .test : nil
        case 6: return equal(k, "county") ? .county : equal(k, "status") ? .status : equal(k, "region") ? .region : nil
        case 7: return equal(k, "address") ? .address : nil
        case 9: return equal(k, "birthDate") ? .birthDate : nil
        case 10: return equal(k, "protection") ? .protection : nil
        case 12: return equal(k, "municipality") ? .municipality : nil
        case 14: return equal(k, "specialAddress") ? .specialAddress : nil
        default: return nil
        }
    }

    /// The keys the model reads that this decoder leaves to it, each with a bit of its own;
    /// nil for any other key.
    private static func rareBit(_ k: UnsafeBufferPointer<UInt8>) -> UInt8? {
        switch k.count {
        case 7: return equal(k, "contact") ? 1 : nil
        case 9: return equal(k, "relations") ? 2 : nil
        case 10: return equal(k, "birthPlace") ? 4 : equal(k, "referredTo") ? 8 : nil
        case 11: return equal(k, "civilStatus") ? 16 : nil
        case 12: return equal(k, "citizenships") ? 32 : nil
        case 14: return equal(k, "foreignAddress") ? 64 : nil
        case 15: return equal(k, "immigrationDate") ? 128 : nil
        default: return nil
        }
    }

    @inline(__always)
    private static func equal(_ k: UnsafeBufferPointer<UInt8>, _ s: StaticString) -> Bool {
        k.count == s.utf8CodeUnitCount && (k.isEmpty || memcmp(k.baseAddress!, s.utf8Start, k.count) == 0)
    }

    /// `kind.rawValue` as a literal.
    private static func name(of kind: IdentityKind) -> StaticString {
        switch kind {
        case .personnummer: "personnummer"
        case .samordningsnummer: "samordningsnummer"
        case .reserve: "reserve"
        }
    }

    /// `id`: an object with a string `value` and, if any, a string `kind` (their bytes).
    private static func identity(_ p: inout JSONPullReader) throws -> (
        UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>?
    ) {
        guard try p.beginObject() else { throw Unusual() }
        var value: UnsafeBufferPointer<UInt8>?, kind: UnsafeBufferPointer<UInt8>?
        repeat {
            let k = try p.key()
            if equal(k, "value") {
                guard value == nil, let text = try p.plainStringOrNull() else { throw Unusual() }
                value = text
            } else if equal(k, "kind") {
                guard kind == nil, let text = try p.plainStringOrNull() else { throw Unusual() }
                kind = text
            } else {
                try p.skipValue()
            }
        } while try p.nextMember()
        guard let value else { throw Unusual() }
        return (value, kind)
    }

    private static func personName(_ p: inout JSONPullReader) throws -> PersonName? {
        guard let (given, callName, middle, surname) = try fourStrings(&p, "given", "callName", "middle", "surname")
        else { return nil }
        return PersonName(given: given, callName: callName, middle: middle, surname: surname)
    }

    private static func postalAddress(_ p: inout JSONPullReader) throws -> PostalAddress? {
        guard let (careOf, street, postalCode, city) = try fourStrings(&p, "careOf", "street", "postalCode", "city")
        else { return nil }
        return PostalAddress(careOf: careOf, street: street, postalCode: postalCode, city: city)
    }

    /// An object of up to four string-or-null members named `a`…`d` (a name, an address, a
    /// status with three), each nil when absent; nil for JSON null. Other members are skipped;
    /// a repeated one is unusual.
    private static func fourStrings(
        _ p: inout JSONPullReader, _ a: StaticString, _ b: StaticString, _ c: StaticString, _ d: StaticString? = nil
    ) throws -> (String?, String?, String?, String?)? {
        if try p.null() { return nil }
        var values: (String?, String?, String?, String?) = (nil, nil, nil, nil)
        guard try p.beginObject() else { return values }
        var seen: UInt8 = 0
        repeat {
            let k = try p.key()
            let bit: UInt8
            if equal(k, a) {
                bit = 1
                values.0 = try p.stringOrNull()
            } else if equal(k, b) {
                bit = 2
                values.1 = try p.stringOrNull()
            } else if equal(k, c) {
                bit = 4
                values.2 = try p.stringOrNull()
            } else if let d, equal(k, d) {
                bit = 8
                values.3 = try p.stringOrNull()
            } else {
                try p.skipValue()
                continue
            }
            guard seen & bit == 0 else { throw Unusual() }
            seen |= bit
        } while try p.nextMember()
        return values
    }

    private static func personStatus(_ p: inout JSONPullReader) throws -> PersonStatus? {
        // Null is no status; an object without a state (even `{}`) is for the model to word.
        guard let (state, date, reason, _) = try fourStrings(&p, "state", "date", "reason") else { return nil }
        guard let state, let life = LifeState(wireName: state) else { throw Unusual() }
        var status = PersonStatus(state: life)
        if let date {
            guard let d = RegisterDate(iso: date) else { throw Unusual() }
            status.date = d
        }
        if let reason {
            guard let code = DeregistrationReason(rawValue: reason), life == .deregistered else { throw Unusual() }
            status.reason = code
        }
        return status
    }

    /// A string of exactly `digits` ASCII digits, or null.
    private static func code(_ p: inout JSONPullReader, digits: Int) throws -> String? {
        guard let s = try p.stringOrNull() else { return nil }
        guard s.utf8.count == digits, s.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { throw Unusual() }
        return s
    }
}
