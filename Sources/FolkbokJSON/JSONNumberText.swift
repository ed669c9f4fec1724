/// The RFC 8259 number grammar and exact integer conversion of number text.
///
/// Guarantees: `scan` accepts exactly `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
/// as a prefix; the integer conversions never trap and return nil on any overflow or on
/// text with a fraction or exponent.
enum JSONNumberText {
    enum Scan {
        case end(Int)
        case invalid(at: Int)
    }

    @inline(__always)
    static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }

    /// Scans the longest valid number starting at `start`; `.end` is the index just past it.
    @inline(__always)
    static func scan(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Scan {
        var i = start
        if i < end && p[i] == 0x2D { i += 1 }
        guard i < end else { return .invalid(at: i) }
        if p[i] == 0x30 {
            i += 1
        } else if isDigit(p[i]) {
            i += 1
            while i < end && isDigit(p[i]) { i += 1 }
        } else {
            return .invalid(at: i)
        }
        if i < end && p[i] == 0x2E {
            i += 1
            guard i < end && isDigit(p[i]) else { return .invalid(at: i) }
            while i < end && isDigit(p[i]) { i += 1 }
        }
        if i < end && (p[i] | 0x20) == 0x65 {
            i += 1
            if i < end && (p[i] == 0x2B || p[i] == 0x2D) { i += 1 }
            guard i < end && isDigit(p[i]) else { return .invalid(at: i) }
            while i < end && isDigit(p[i]) { i += 1 }
        }
        return .end(i)
    }

    /// True when `text` is exactly one valid RFC 8259 number.
    static func isValid(_ text: String) -> Bool {
        var t = text
        return t.withUTF8 { u in
            guard let base = u.baseAddress else { return false }
            if case .end(let e) = scan(base, from: 0, to: u.count) { return e == u.count }
            return false
        }
    }

    static func int64(_ text: String) -> Int64? {
        var it = text.utf8.makeIterator()
        guard var b = it.next() else { return nil }
        let negative = b == 0x2D
        if negative {
            guard let n = it.next() else { return nil }
            b = n
        }
        var acc: Int64 = 0
        while true {
            guard isDigit(b) else { return nil }
            let d = Int64(b &- 0x30)
            let (m, o1) = acc.multipliedReportingOverflow(by: 10)
            let (r, o2) = negative ? m.subtractingReportingOverflow(d) : m.addingReportingOverflow(d)
            if o1 || o2 { return nil }
            acc = r
            guard let n = it.next() else { return acc }
            b = n
        }
    }

    static func uint64(_ text: String) -> UInt64? {
        var it = text.utf8.makeIterator()
        guard var b = it.next() else { return nil }
        let negative = b == 0x2D
        if negative {
            guard let n = it.next() else { return nil }
            b = n
        }
        var acc: UInt64 = 0
        while true {
            guard isDigit(b) else { return nil }
            let (m, o1) = acc.multipliedReportingOverflow(by: 10)
            let (r, o2) = m.addingReportingOverflow(UInt64(b &- 0x30))
            if o1 || o2 { return nil }
            acc = r
            guard let n = it.next() else { return negative && acc != 0 ? nil : acc }
            b = n
        }
    }
}
