import FolkbokModel

/// The compact binary form of a `Mutation`, used by the log and by snapshots.
///
/// Guarantees: `decode(encode(m)) == m` for every mutation; the layout (see
/// Snapshots/FORMAT.md, "Record encoding") is frozen, little-endian, and uses the frozen
/// codes of `CodecTables`; `decode` rejects truncated input, out-of-range codes, invalid
/// UTF-8 and trailing bytes, with errors that never include field values.
public enum RecordCodec {
    /// Appends the encoding of `mutation` to `bytes`.
    /// - Complexity: O(encoded size); no allocation beyond growing `bytes`.
    public static func encode(_ mutation: Mutation, into bytes: inout [UInt8]) {
        switch mutation {
        case .remove(let key):
            bytes.append(CodecTables.removeTag)
            bytes.appendLE(key.raw)
        case .upsert(let key, let record):
            encodeUpsert(key, record, into: &bytes)
        }
    }

    /// Appends the encoding of `.upsert(key, r)` without building the `Mutation`; answers
    /// where in `bytes` the record's version went.
    @discardableResult
    static func encodeUpsert(_ key: IdentityKey, _ r: PersonRecord, into bytes: inout [UInt8]) -> Int {
        let detailed = r.details != nil || !r.history.isEmpty
        bytes.append(
            detailed
                ? CodecTables.detailedUpsertTag
                : r.reserve == nil ? CodecTables.upsertTag : CodecTables.reserveUpsertTag)
        bytes.appendLE(key.raw)
        encodeIdentity(r.id, into: &bytes)
        bytes.appendString(r.name.given)
        bytes.appendString(r.name.callName)
        bytes.appendString(r.name.middle)
        bytes.appendString(r.name.surname)
        bytes.appendLE(r.birthDate?.packed ?? 0)
        bytes.append(CodecTables.code(r.sex))
        encodeAddress(r.address, into: &bytes)
        encodeAddress(r.specialAddress, into: &bytes)
        if let foreign = r.foreignAddress {
            bytes.append(1)
            bytes.appendVarint(foreign.lines.count)
            for line in foreign.lines { bytes.appendString(line) }
            bytes.appendString(foreign.country)
        } else {
            bytes.append(0)
        }
        bytes.appendString(r.county)
        bytes.appendString(r.municipality)
        bytes.append(r.protection.rawValue)
        bytes.append(r.test ? 1 : 0)
        bytes.append(r.status.state.rawValue)
        bytes.appendLE(r.status.date?.packed ?? 0)
        bytes.append(CodecTables.code(r.status.reason))
        bytes.appendString(r.region)
        if let contact = r.contact {
            bytes.append(1)
            bytes.appendString(contact.email)
            bytes.appendString(contact.phone)
            bytes.appendString(contact.consent.source)
            bytes.appendLE(contact.consent.date.packed)
            bytes.appendLE(contact.version)
        } else {
            bytes.append(0)
        }
        bytes.appendVarint(r.reserveLinks.count)
        for link in r.reserveLinks { encodeIdentity(link, into: &bytes) }
        let versionAt = bytes.count
        bytes.appendLE(r.version)
        if detailed {
            if let reserve = r.reserve {
                bytes.append(1)
                encodeReserve(reserve, into: &bytes)
            } else {
                bytes.append(0)
            }
            encodeDetails(r.details, into: &bytes)
            encodeHistory(r.history, into: &bytes)
        } else if let reserve = r.reserve {
            encodeReserve(reserve, into: &bytes)
        }
        return versionAt
    }

    /// A reserve state: the optional identity linked to, then the history (a varint count and,
    /// per link, its identity, `linkedAt` and an optional `unlinkedAt`, each an `i64` in µs).
    static func encodeReserve(_ state: ReserveState, into bytes: inout [UInt8]) {
        if let to = state.linkedTo {
            bytes.append(1)
            encodeIdentity(to, into: &bytes)
        } else {
            bytes.append(0)
        }
        bytes.appendVarint(state.history.count)
        for link in state.history {
            encodeIdentity(link.to, into: &bytes)
            bytes.appendLE(UInt64(bitPattern: link.linkedAt))
            if let unlinked = link.unlinkedAt {
                bytes.append(1)
                bytes.appendLE(UInt64(bitPattern: unlinked))
            } else {
                bytes.append(0)
            }
        }
    }

    /// The encoding of `mutation` as a new array.
    public static func encode(_ mutation: Mutation) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(384)  // most records fit: one allocation instead of five or six
        encode(mutation, into: &bytes)
        return bytes
    }

    /// Decodes exactly one mutation occupying all of `bytes`.
    /// - Complexity: O(encoded size).
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(CodecError) -> Mutation {
        var reader = ByteReader(bytes, .mutation)
        let mutation = try reader.mutation()
        guard reader.isAtEnd else { throw reader.error(.trailingBytes, "end", at: reader.offset) }
        return mutation
    }

    /// Decodes a mutation held in an array.
    public static func decode(_ bytes: [UInt8]) throws(CodecError) -> Mutation {
        try bytes.withUnsafeBytes { raw in Result { () throws(CodecError) -> Mutation in try decode(raw) } }.get()
    }

    static func encodeIdentity(_ id: Identity, into bytes: inout [UInt8]) {
        bytes.append(id.kind.diskCode)
        bytes.appendString(id.value)
        bytes.appendString(id.issuer)
    }

    private static func encodeAddress(_ address: PostalAddress?, into bytes: inout [UInt8]) {
        guard let a = address else {
            bytes.append(0)
            return
        }
        bytes.append(1)
        bytes.appendString(a.careOf)
        bytes.appendString(a.street)
        bytes.appendString(a.postalCode)
        bytes.appendString(a.city)
    }
}
