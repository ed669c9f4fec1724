import Foundation
import Glibc

/// Wall-clock times of the crash loop in the forms the protocol takes (UTC).
enum ChaosClock {
    /// Microseconds since the Unix epoch (CLOCK_REALTIME, the server's clock too).
    static func wallMicros() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1000
    }

    /// `YYYY-MM-DD` of the UTC day of `micros`.
    static func utcDate(_ micros: Int64) -> String {
        let t = parts(micros)
        return pad(Int(t.tm_year) + 1900, 4) + "-" + pad(Int(t.tm_mon) + 1, 2) + "-" + pad(Int(t.tm_mday), 2)
    }

    /// `YYYY-MM-DDTHH:MM:SS.ffffffZ`, as `audit.query` takes `from` and `to`.
    static func iso(_ micros: Int64) -> String {
        let t = parts(micros)
        let fraction = Int(((micros % 1_000_000) + 1_000_000) % 1_000_000)
        return utcDate(micros) + "T" + pad(Int(t.tm_hour), 2) + ":" + pad(Int(t.tm_min), 2) + ":"
            + pad(Int(t.tm_sec), 2)
            + "." + pad(fraction, 6) + "Z"
    }

    private static func parts(_ micros: Int64) -> tm {
        var seconds = time_t(micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000)
        var t = tm()
        gmtime_r(&seconds, &t)
        return t
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

/// Writes one line to standard output at once (unbuffered), so progress shows also when the
/// output goes to a file.
func chaosSay(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}
