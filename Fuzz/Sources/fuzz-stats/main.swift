import FolkbokStats
import FuzzDriver

// Byte 0: bit 0 picks counters (snapshot) or delta (journal record); bit 1 has the rest sealed
// as a body (`StatsSeal`), else the rest is the whole file. Whatever decodes must re-encode to
// bytes that decode to the same counts (the codec's guarantee; for deltas, the same totals).
fuzzMain { data, size in
    let input = FuzzInput(fuzz: data, size)
    guard let mode = input.first else { return 0 }
    let counters = mode & 1 == 1
    let bytes = mode & 2 == 2 ? StatsSeal.seal(input.dropFirst(), counters: counters) : Array(input.dropFirst())
    if counters {
        guard let decoded = try? StatsCounters(decoding: bytes) else { return 0 }
        guard let again = try? StatsCounters(decoding: decoded.encoded()) else { fatalError("re-encoded counters do not decode") }
        if again.lookupCounts() != decoded.lookupCounts() { fatalError("re-encoded counters count lookups differently") }
        if again.sessionCounts() != decoded.sessionCounts() { fatalError("re-encoded counters count sessions differently") }
    } else {
        guard let decoded = try? StatsDelta(decoding: bytes) else { return 0 }
        guard let again = try? StatsDelta(decoding: decoded.encoded()) else { fatalError("a re-encoded delta does not decode") }
        if again.lookups != decoded.lookups || again.sessions != decoded.sessions {
            fatalError("a re-encoded delta counts differently")
        }
    }
    return 0
}
