/// Requests built once before a run, stored back to back in one byte array, so the load
/// generator copies them into a reused send buffer and never allocates per request.
struct RequestTable {
    private(set) var bytes: [UInt8] = []
    /// `starts[i]..<starts[i + 1]` is request `i`.
    private(set) var starts: [Int] = [0]

    var count: Int { starts.count - 1 }
    /// The longest request, to size send buffers.
    private(set) var longest = 0

    mutating func append<S: Sequence<UInt8>>(_ request: S) {
        bytes.append(contentsOf: request)
        longest = max(longest, bytes.count - starts[starts.count - 1])
        starts.append(bytes.count)
    }

    subscript(i: Int) -> ArraySlice<UInt8> { bytes[starts[i]..<starts[i + 1]] }

    /// Positions 0..<count in a fixed pseudo-random order (SplitMix64 of `seed`): the same
    /// sequence of keys for every server measured.
    static func shuffledPicks(count: Int, of population: Int, seed: UInt64) -> [Int] {
        var state = seed
        return (0..<count).map { _ in
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(population))
        }
    }
}
