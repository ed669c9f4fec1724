import FolkbokModel

/// The frozen on-disk layout of one `PersonRow` in a store image (Snapshots/FORMAT.md,
/// "Row"): 67 bytes, fields in this order, little-endian, no padding.
///
/// | Offset | Size | Field |
/// |---|---|---|
/// | 0 | 8 | key (`IdentityKey.raw`) |
/// | 8 | 8 | version |
/// | 16 | 4 × 8 | given, callName, middle, surname, careOf, street, postalCode, city (string ids) |
/// | 48 | 4 | birthDate (`YYYYMMDD`, 0 none) |
/// | 52 | 4 | status date (`YYYYMMDD`, 0 none) |
/// | 56 | 2 × 3 | county, municipality, region (code ids) |
/// | 62 | 1 | sex: 0 unknown, 1 female, 2 male |
/// | 63 | 1 | protection (`Protection.rawValue`) |
/// | 64 | 1 | state (`LifeState.rawValue`) |
/// | 65 | 1 | deregistration reason: 0 none, 1 UV, 2 GN, 3 AN, 4 AS, 5 GS, 6 OB, 7 TA |
/// | 66 | 1 | flags: 1 test, 2 address, 4 special address, 8 foreign address, 16 contact, 32 reserve links, 64 details, 128 history |
///
/// Guarantees: encoded field by field, so the file never depends on Swift's in-memory layout
/// of `PersonRow`; the codes are translated through frozen tables, not in-memory enum order.
enum RowImage {
    static let width = 67

    /// Encodes `row` at `p`; `codes` translates the small fields (see `RowCodes`).
    @inline(__always)
    static func write(_ row: PersonRow, to p: UnsafeMutableRawPointer, codes: RowCodes) {
        p.storeBytes(of: row.key.littleEndian, toByteOffset: 0, as: UInt64.self)
        p.storeBytes(of: row.version.littleEndian, toByteOffset: 8, as: UInt64.self)
        p.storeBytes(of: row.given.littleEndian, toByteOffset: 16, as: UInt32.self)
        p.storeBytes(of: row.callName.littleEndian, toByteOffset: 20, as: UInt32.self)
        p.storeBytes(of: row.middle.littleEndian, toByteOffset: 24, as: UInt32.self)
        p.storeBytes(of: row.surname.littleEndian, toByteOffset: 28, as: UInt32.self)
        p.storeBytes(of: row.careOf.littleEndian, toByteOffset: 32, as: UInt32.self)
        p.storeBytes(of: row.street.littleEndian, toByteOffset: 36, as: UInt32.self)
        p.storeBytes(of: row.postalCode.littleEndian, toByteOffset: 40, as: UInt32.self)
        p.storeBytes(of: row.city.littleEndian, toByteOffset: 44, as: UInt32.self)
        p.storeBytes(of: row.birthDate.littleEndian, toByteOffset: 48, as: UInt32.self)
        p.storeBytes(of: row.statusDate.littleEndian, toByteOffset: 52, as: UInt32.self)
        p.storeBytes(of: row.county.littleEndian, toByteOffset: 56, as: UInt16.self)
        p.storeBytes(of: row.municipality.littleEndian, toByteOffset: 58, as: UInt16.self)
        p.storeBytes(of: row.region.littleEndian, toByteOffset: 60, as: UInt16.self)
        p.storeBytes(of: codes.sexToDisk[Int(row.sex)], toByteOffset: 62, as: UInt8.self)
        p.storeBytes(of: row.protection, toByteOffset: 63, as: UInt8.self)
        p.storeBytes(of: row.state, toByteOffset: 64, as: UInt8.self)
        p.storeBytes(of: codes.reasonToDisk[Int(row.reason)], toByteOffset: 65, as: UInt8.self)
        p.storeBytes(of: codes.flagsToDisk[Int(row.flags.rawValue)], toByteOffset: 66, as: UInt8.self)
    }

    /// The row at `p`, or nil when a code or flag byte is out of range. String and code ids
    /// and dates are checked by the caller, which knows the pools.
    @inline(__always)
    static func read(_ p: UnsafeRawPointer, codes: RowCodes) -> PersonRow? {
        func u32(_ at: Int) -> UInt32 { UInt32(littleEndian: p.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
        func u16(_ at: Int) -> UInt16 { UInt16(littleEndian: p.loadUnaligned(fromByteOffset: at, as: UInt16.self)) }
        func byte(_ at: Int) -> UInt8 { p.load(fromByteOffset: at, as: UInt8.self) }
        let sex = codes.sexFromDisk[Int(byte(62))], reason = codes.reasonFromDisk[Int(byte(65))]
        let flags = codes.flagsFromDisk[Int(byte(66))]
        // Every flag byte is a combination of the eight flags (0xFF too), so flags need no check.
        guard sex != RowCodes.invalid, reason != RowCodes.invalid,
            byte(63) <= Protection.skyddad.rawValue, byte(64) <= LifeState.deregistered.rawValue
        else { return nil }
        return PersonRow(
            key: UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
            version: UInt64(littleEndian: p.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
            given: u32(16), callName: u32(20), middle: u32(24), surname: u32(28),
            careOf: u32(32), street: u32(36), postalCode: u32(40), city: u32(44),
            birthDate: u32(48), statusDate: u32(52), county: u16(56), municipality: u16(58), region: u16(60),
            sex: sex, protection: byte(63), state: byte(64), reason: reason, flags: PersonRow.Flags(rawValue: flags))
    }
}

/// Translation tables between `PersonRow`'s in-memory codes and the frozen disk codes of
/// `RowImage`, one byte in, one byte out (`invalid` for a code that has no counterpart).
///
/// Guarantees: the disk side is frozen (FORMAT.md); the memory side follows `Sex.packed`,
/// `DeregistrationReason.packed` and `PersonRow.Flags`, whatever they become. They coincide
/// today; the tables make sure the file would not change if the in-memory codes did.
struct RowCodes {
    static let invalid: UInt8 = 0xFF
    let sexToDisk: [UInt8], sexFromDisk: [UInt8]
    let reasonToDisk: [UInt8], reasonFromDisk: [UInt8]
    /// All 256 values are valid on both sides (the eight bits are all flags), so unlike the
    /// other tables these have no `invalid` entry.
    let flagsToDisk: [UInt8], flagsFromDisk: [UInt8]

    static let shared = RowCodes()

    private init() {
        let sexes: [(disk: UInt8, memory: UInt8)] = [(0, 0), (1, Sex.female.packed), (2, Sex.male.packed)]
        let reasons: [DeregistrationReason] = [.UV, .GN, .AN, .AS, .GS, .OB, .TA]
        let pairs = [(UInt8(0), UInt8(0))] + reasons.enumerated().map { (UInt8($0.offset + 1), $0.element.packed) }
        let flags: [(disk: UInt8, memory: PersonRow.Flags)] = [
            (1, .test), (2, .hasAddress), (4, .hasSpecialAddress), (8, .hasForeignAddress), (16, .hasContact),
            (32, .hasReserveLinks),
            (64, .hasDetails), (128, .hasHistory),
        ]
        func tables(_ pairs: [(disk: UInt8, memory: UInt8)]) -> (toDisk: [UInt8], fromDisk: [UInt8]) {
            var to = [UInt8](repeating: Self.invalid, count: 256), from = to
            for (disk, memory) in pairs {
                to[Int(memory)] = disk
                from[Int(disk)] = memory
            }
            return (to, from)
        }
        (sexToDisk, sexFromDisk) = tables(sexes)
        (reasonToDisk, reasonFromDisk) = tables(pairs)
        let flagPairs = (0..<256).map { bits in
            flags.reduce((disk: UInt8(0), memory: UInt8(0))) { acc, f in
                bits & Int(f.disk) == 0 ? acc : (acc.disk | f.disk, acc.memory | f.memory.rawValue)
            }
        }
        (flagsToDisk, flagsFromDisk) = tables(flagPairs)
    }
}
