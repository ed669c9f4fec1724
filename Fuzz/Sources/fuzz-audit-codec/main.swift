import FolkbokAudit
import FuzzDriver

// Decodes the input as one access-log payload (entry bytes then a 32-byte hash). Whatever
// decodes must re-encode (current version) to an entry that decodes equal, and the chain
// check must answer without trapping.
fuzzMain { data, size in
    let payload = Array(FuzzInput(fuzz: data, size))
    _ = AuditCodec.linkHolds(payload, previous: AuditCodec.genesis)
    guard let (entry, hash) = try? AuditCodec.decode(payload) else { return 0 }
    guard let again = try? AuditCodec.decode(AuditCodec.encodeEntry(entry) + hash) else {
        fatalError("a decoded access-log entry re-encodes to bytes that do not decode")
    }
    if again.entry != entry { fatalError("a decoded access-log entry re-encodes to a different entry") }
    return 0
}
