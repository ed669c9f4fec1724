import FolkbokStorage
import FuzzDriver

// Decodes the input as one WAL/snapshot mutation record. Whatever decodes must re-encode to
// bytes that decode to the same mutation.
fuzzMain { data, size in
    guard let mutation = try? RecordCodec.decode(FuzzInput(fuzz: data, size)) else { return 0 }
    guard let again = try? RecordCodec.decode(RecordCodec.encode(mutation)) else {
        fatalError("a decoded mutation re-encodes to bytes that do not decode")
    }
    if again != mutation { fatalError("a decoded mutation re-encodes to a different mutation") }
    return 0
}
