import FolkbokModel

/// The given names inside every `name.given` string seen: each folded word (a given name, a
/// hyphenated one being one word) maps to the ids of the strings containing it, so a pattern
/// for one given name finds all strings that hold a matching name.
///
/// Guarantees: `ids(matching:)` returns, each once, every added string id with a word that
/// matches the pattern (per `SearchCriteria.given`). Ids are never dropped until `rebuild`.
/// - Complexity: `add` O(1) for a known id; a new id costs a fold and one hash update per word
///   (a new word also an insertion into the sorted word list, O(words)). Lookups: one hash
///   lookup, or for a prefix two binary searches over the words plus the result.
struct GivenNameWords: Sendable {
    private var known = Bitmap()
    private var stringsByWord: [[UInt8]: [UInt32]] = [:]
    /// The keys of `stringsByWord`, ascending by bytes.
    private var words: [[UInt8]] = []
    private var listed = 0

    init() {}

    /// Estimated: list entries, plus per word its key, list header and hash slot.
    var footprintBytes: Int { known.footprintBytes + listed * 5 + words.count * 120 }

    func contains(_ id: UInt32) -> Bool { known.contains(id) }

    mutating func add(_ id: UInt32, strings: StringPool) {
        guard id != 0, !known.contains(id) else { return }
        known.insert(id)
        var folded: [UInt8] = []
        strings.withBytes(id) { SwedishFold.fold(utf8: $0, into: &folded) }
        for word in folded.split(separator: 0x20) {
            let key = Array(word)
            if stringsByWord[key] == nil {
                let at = partition(words) { $0.lexicographicallyPrecedes(key) }
                words.insert(key, at: at)
            }
            if stringsByWord[key]?.last != id {
                stringsByWord[key, default: []].append(id)
                listed += 1
            }
        }
    }

    mutating func rebuild(ids: [UInt32], strings: StringPool) {
        self = GivenNameWords()
        for id in ids { add(id, strings: strings) }
    }

    func ids(matching pattern: NamePattern) -> [UInt32] {
        let target = Array(pattern.folded.utf8)
        guard pattern.isPrefix else { return stringsByWord[target] ?? [] }
        let lo = partition(words) { $0.lexicographicallyPrecedes(target) }
        let hi = lo + partition(words[lo...]) { $0.starts(with: target) }
        guard hi - lo > 1 else { return lo == hi ? [] : stringsByWord[words[lo]] ?? [] }
        var found = Set<UInt32>()
        for word in words[lo..<hi] { found.formUnion(stringsByWord[word] ?? []) }
        return Array(found)
    }

    /// How many leading elements satisfy `before` (true, then false).
    private func partition(_ list: ArraySlice<[UInt8]>, _ before: ([UInt8]) -> Bool) -> Int {
        var lo = list.startIndex, hi = list.endIndex
        while lo < hi {
            let mid = (lo + hi) / 2
            if before(list[mid]) { lo = mid + 1 } else { hi = mid }
        }
        return lo - list.startIndex
    }

    private func partition(_ list: [[UInt8]], _ before: ([UInt8]) -> Bool) -> Int {
        partition(list[...], before)
    }
}
