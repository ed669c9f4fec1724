/// String output: quoting and escaping.
///
/// Guarantees: output is a valid JSON string literal for any Swift string. `"` and `\` are
/// backslash-escaped, `\b \f \n \r \t` use their short forms, other bytes below 0x20 use
/// lowercase `\u00xx`; everything else (including DEL, `/` and non-ASCII) is copied as is.
/// Runs of bytes that need no escaping are appended in bulk.
extension JSONWriter {
    public mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { appendQuoted($0) }
    }

    public mutating func string(_ s: Substring) {
        var s = s
        s.withUTF8 { appendQuoted($0) }
    }

    /// Writes `null` for nil, otherwise the quoted string.
    public mutating func stringOrNull(_ s: String?) {
        if let s { string(s) } else { null() }
    }

    /// Writes `null` for nil, otherwise the UTF-8 bytes quoted exactly as `string` quotes the
    /// same text.
    public mutating func stringOrNull(utf8 bytes: UnsafeBufferPointer<UInt8>?) {
        if let bytes { appendQuoted(bytes) } else { null() }
    }

    mutating func appendQuoted(_ u: UnsafeBufferPointer<UInt8>) {
        bytes.append(0x22)
        var runStart = 0
        for i in 0..<u.count {
            let b = u[i]
            if b >= 0x20 && b != 0x22 && b != 0x5C { continue }
            if i > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart..<i])) }
            appendEscape(b)
            runStart = i + 1
        }
        if runStart < u.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart...])) }
        bytes.append(0x22)
    }

    private mutating func appendEscape(_ b: UInt8) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 6) { t in
            let end = JSONEscape.write(b, at: t.baseAddress!)
            bytes.append(contentsOf: UnsafeBufferPointer(start: t.baseAddress!, count: end - t.baseAddress!))
        }
    }
}
