import FolkbokModel

/// Checking blobs that come from a snapshot (format version 4 stores them as the arena keeps
/// them, `DetailBlob`), where a writer bug could have left anything a checksum vouches for.
///
/// Guarantees: `problem(in:)` reads only inside the blob and never traps; a blob it passes
/// holds only known presence bits, lengths within the blob, valid UTF-8 strings, known civil
/// status codes, identity kinds and relation types, dates that are 0 or valid register dates,
/// knows something, and ends exactly where its last part does, so `decode` and `writeImage`
/// read it without trapping and answer exactly what an entry of version 3 would.
extension DetailBlob {
    /// What is wrong with `blob`, nil if nothing.
    static func problem(in blob: UnsafeRawBufferPointer) -> String? {
        var r = CheckedReader(bytes: blob)
        do throws(BlobProblem) {
            try r.details()
            guard r.offset == blob.count else { return "details blob has bytes after its last part" }
            return nil
        } catch {
            return "details blob: \(error.what)"
        }
    }

    /// A LEB128 length of at most four bytes read from inside `bytes`, nil if it runs past the
    /// end or is longer.
    @inline(__always)
    static func checkedLength(_ bytes: UnsafeRawBufferPointer, _ offset: inout Int) -> Int? {
        var v = 0, shift = 0
        while offset < bytes.count, shift < 28 {
            let b = bytes[offset]
            offset += 1
            v |= Int(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
        }
        return nil
    }

    /// The civil status codes (one or two UTF-8 bytes each) as `word`s.
    private static let civilCodes: [UInt32] = PersonDetails.CivilStatus.codes.map { code in
        Array(code.utf8).withUnsafeBytes { word($0) }
    }

    /// Up to three bytes and their count in one integer (equal exactly when the bytes are).
    @inline(__always)
    private static func word(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var w: UInt32 = 0
        for b in bytes { w = w << 8 | UInt32(b) }
        return w | UInt32(bytes.count) << 24
    }
    private static let knownPresence = civil | immigration | referred | bornInSweden | bornAbroad

    private struct BlobProblem: Error {
        let what: String
    }

    /// The checking twin of `Reader`: the same walk, every step bounds- and value-checked.
    private struct CheckedReader {
        let bytes: UnsafeRawBufferPointer
        var offset = 0

        mutating func details() throws(BlobProblem) {
            let presence = try byte("presence")
            guard presence & ~knownPresence == 0, presence & (bornInSweden | bornAbroad) != bornInSweden | bornAbroad
            else { throw BlobProblem(what: "presence bits unknown") }
            if presence & civil != 0 {
                let code = try string("civil status code")
                guard code.count <= 3, civilCodes.contains(DetailBlob.word(code)) else {
                    throw BlobProblem(what: "civil status code unknown")
                }
                try date("civil status date")
            }
            let citizenships = try length("citizenship count")
            for _ in 0..<citizenships {
                _ = try string("citizenship country")
                try date("citizenship date")
            }
            if presence & (bornInSweden | bornAbroad) != 0 {
                try optional("birth place")
                try optional("birth place")
            }
            if presence & immigration != 0 {
                guard try date("immigration date") != 0 else { throw BlobProblem(what: "immigration date missing") }
            }
            let relations = try length("relation count")
            for _ in 0..<relations {
                switch try byte("relation kind") {
                case 1: try identity()
                case 2: _ = try string("relation birth time")
                default: throw BlobProblem(what: "relation kind unknown")
                }
                guard Int(try byte("relation type")) < PersonDetails.RelationType.allCases.count else {
                    throw BlobProblem(what: "relation type unknown")
                }
                try date("relation from")
                try date("relation to")
            }
            if presence & referred != 0 { try identity() }
            guard presence != 0 || citizenships > 0 || relations > 0 else { throw BlobProblem(what: "empty details") }
        }

        @inline(__always)
        private mutating func take(_ n: Int, _ what: String) throws(BlobProblem) -> UnsafeRawBufferPointer {
            guard n <= bytes.count - offset else { throw BlobProblem(what: "\(what) runs past the blob") }
            defer { offset += n }
            return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + n])
        }

        @inline(__always)
        private mutating func byte(_ what: String) throws(BlobProblem) -> UInt8 { try take(1, what)[0] }

        @inline(__always)
        private mutating func length(_ what: String) throws(BlobProblem) -> Int {
            guard let n = DetailBlob.checkedLength(bytes, &offset), n <= bytes.count - offset else {
                throw BlobProblem(what: "\(what) runs past the blob")
            }
            return n
        }

        @inline(__always)
        private mutating func string(_ what: String) throws(BlobProblem) -> UnsafeRawBufferPointer {
            let utf8 = try take(try length(what), what)
            guard UTF8Check.isValid(utf8) else { throw BlobProblem(what: "\(what) is not valid UTF-8") }
            return utf8
        }

        @inline(__always)
        private mutating func optional(_ what: String) throws(BlobProblem) {
            // Length + 1, 0 for nil: `length` would hold an empty string ending the blob too long.
            guard let n = DetailBlob.checkedLength(bytes, &offset) else {
                throw BlobProblem(what: "\(what) runs past the blob")
            }
            guard n > 0 else { return }
            guard UTF8Check.isValid(try take(n - 1, what)) else {
                throw BlobProblem(what: "\(what) is not valid UTF-8")
            }
        }

        /// A packed register date; 0 (none) or valid.
        @discardableResult
        @inline(__always)
        private mutating func date(_ what: String) throws(BlobProblem) -> UInt32 {
            let packed = UInt32(littleEndian: try take(4, what).loadUnaligned(as: UInt32.self))
            guard packed == 0 || RegisterDate(packed: packed) != nil else { throw BlobProblem(what: "\(what) invalid") }
            return packed
        }

        private mutating func identity() throws(BlobProblem) {
            let code = try byte("identity kind")
            guard IdentityKind(diskCode: code & 0x7F) != nil else { throw BlobProblem(what: "identity kind unknown") }
            guard code & 0x80 != 0 else {
                _ = try string("identity value")
                return try optional("identity issuer")
            }
            var n: UInt64 = 0
            for (i, b) in try take(5, "identity number").enumerated() { n |= UInt64(b) << (8 * UInt64(i)) }
            guard n < 1_000_000_000_000 else { throw BlobProblem(what: "identity number above twelve digits") }
        }
    }
}
