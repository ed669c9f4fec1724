extension NavetMapping {
    /// `Tilltalsnamnsmarkering` NM (10–99): the N-th given name, then a hyphen and the M-th when
    /// M > 0; nil when absent, not two digits 10–99, or pointing past the given names.
    ///
    /// The given names are `given` split at spaces as `Character`s (a space that a combining
    /// mark joins is no separator). When every space stands between ASCII bytes, each is a
    /// `Character` of its own and the split is made on the UTF-8 bytes, with no array of names
    /// (`callNameBySplitting`, the general way, gives the same answer: NavetCallNameTests).
    public static func callName(marking: String?, given: String?) -> String? {
        guard let marking, let given else { return nil }
        let digits = marking.utf8
        guard digits.count == 2, let first = digits.first, let second = digits.last,
            (0x30...0x39).contains(first), (0x30...0x39).contains(second)
        else { return nil }
        let n = Int(first - 0x30)
        let m = Int(second - 0x30)
        guard let words = asciiSpacedWords(given, n, m) else { return callNameBySplitting(n, m, given) }
        guard n >= 1, n <= words.count, m <= words.count, let nth = words.nth else { return nil }
        guard m != 0, let mth = words.mth else { return String(given[nth]) }
        return String(given[nth]) + "-" + String(given[mth])
    }

    /// `callName` for the digits `n` and `m`, splitting into an array of `Character` words.
    static func callNameBySplitting(_ n: Int, _ m: Int, _ given: String) -> String? {
        let names = given.split(separator: " ", omittingEmptySubsequences: true)
        guard n >= 1, n <= names.count, m <= names.count else { return nil }
        if m == 0 { return String(names[n - 1]) }
        return names[n - 1] + "-" + names[m - 1]
    }

    /// The number of space-separated words of `given` and the ranges of words `n` and `m`
    /// (1-based), split on the byte 0x20; nil when a space has a non-ASCII byte beside it.
    static func asciiSpacedWords(_ given: String, _ n: Int, _ m: Int)
        -> (count: Int, nth: Range<String.Index>?, mth: Range<String.Index>?)?
    {
        let bytes = given.utf8
        var count = 0
        var nth: Range<String.Index>?, mth: Range<String.Index>?
        var wordStart: String.Index?
        var previous: UInt8 = 0x20
        var i = bytes.startIndex
        func endWord(at end: String.Index) {
            guard let start = wordStart else { return }
            count += 1
            if count == n { nth = start..<end }
            if count == m { mth = start..<end }
            wordStart = nil
        }
        while i != bytes.endIndex {
            let b = bytes[i]
            let next = bytes.index(after: i)
            if b == 0x20 {
                if previous >= 0x80 || (next != bytes.endIndex && bytes[next] >= 0x80) { return nil }
                endWord(at: i)
            } else if wordStart == nil {
                wordStart = i
            }
            previous = b
            i = next
        }
        endWord(at: bytes.endIndex)
        return (count, nth, mth)
    }
}
