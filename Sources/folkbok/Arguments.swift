/// Parsed command-line arguments of one subcommand: positional words and `--flag value` /
/// `--flag=value` options. A flag not in the subcommand's list is a usage error (exit 2).
struct Arguments {
    var positional: [String] = []
    var options: [String: String] = [:]
    var switches: Set<String> = []

    struct UsageError: Error { let message: String }

    /// - Parameters:
    ///   - valued: flags that take a value.
    ///   - boolean: flags that take none.
    init(_ words: ArraySlice<String>, valued: Set<String>, boolean: Set<String> = []) throws(UsageError) {
        var i = words.startIndex
        while i < words.endIndex {
            let word = words[i]
            i += 1
            guard word.hasPrefix("--"), word.count > 2 else {
                positional.append(word)
                continue
            }
            var name = String(word.dropFirst(2))
            var value: String?
            if let eq = name.firstIndex(of: "=") {
                value = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            if boolean.contains(name) {
                guard value == nil else { throw UsageError(message: "--\(name) takes no value") }
                switches.insert(name)
            } else if valued.contains(name) {
                if value == nil {
                    guard i < words.endIndex else { throw UsageError(message: "--\(name) needs a value") }
                    value = words[i]
                    i += 1
                }
                options[name] = value
            } else {
                throw UsageError(message: "unknown option --\(name)")
            }
        }
    }

    /// A byte count: a whole number, or one with a K, M or G suffix (KiB, MiB, GiB).
    func bytes(_ name: String) throws(UsageError) -> Int? {
        guard let text = options[name] else { return nil }
        let shifts: [Character: Int] = ["K": 10, "M": 20, "G": 30]
        let shift = text.last.flatMap { shifts[$0] } ?? 0
        let digits = shift == 0 ? Substring(text) : text.dropLast()
        guard let v = Int(digits), v >= 0, v <= Int.max >> shift else {
            throw UsageError(message: "--\(name) must be a number of bytes (K, M and G suffixes allowed)")
        }
        return v << shift
    }

    func int(_ name: String) throws(UsageError) -> Int? {
        guard let text = options[name] else { return nil }
        guard let v = Int(text) else { throw UsageError(message: "--\(name) must be a whole number") }
        return v
    }
}

extension Arguments {
    /// A whole number that must lie in `range`; `message` is the usage error when it does not.
    func int(_ name: String, in range: some RangeExpression<Int>, _ message: String) throws(UsageError) -> Int? {
        guard let value = try int(name) else { return nil }
        guard range.contains(value) else { throw UsageError(message: message) }
        return value
    }

    /// One of `allowed`; `message` is the usage error for anything else.
    func choice(_ name: String, _ allowed: [String], _ message: String) throws(UsageError) -> String? {
        guard let value = options[name] else { return nil }
        guard allowed.contains(value) else { throw UsageError(message: message) }
        return value
    }
}
