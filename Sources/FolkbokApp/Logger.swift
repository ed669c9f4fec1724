import FolkbokJSON
import Glibc

/// How much the server says (`--log-level`): an event is written when its level is at least
/// the logger's.
public enum LogLevel: Int, Sendable, Comparable, CaseIterable {
    case debug, info, warning, error

    /// The name `--log-level` takes and JSON lines carry.
    public var name: String {
        switch self {
        case .debug: "debug"
        case .info: "info"
        case .warning: "warning"
        case .error: "error"
        }
    }

    public init?(name: String) {
        guard let level = LogLevel.allCases.first(where: { $0.name == name }) else { return nil }
        self = level
    }

    public static func < (a: LogLevel, b: LogLevel) -> Bool { a.rawValue < b.rawValue }
}

/// How each event line is written (`--log-format`).
public enum LogFormat: String, Sendable, CaseIterable {
    /// `folkbok: <message>`, the sentence alone.
    case text
    /// One JSON object a line: `time`, `level`, `event`, `message`, then the event's fields.
    case json
}

/// One field value of a log event.
public enum LogValue: Sendable {
    case string(String)
    case int(Int)
    case seconds(Double)
}

/// Writes one line per event to standard error (or the given sink).
///
/// Guarantees: each event is one whole line, handed to the sink in one call; events below
/// `level` are dropped before they are formatted; JSON lines are valid JSON with `time`
/// (RFC 3339, UTC, milliseconds), `level`, `event` and `message` first. Callers never pass
/// person data (identities, names, addresses): messages and fields name counts, durations,
/// paths and settings the operator chose.
public struct Logger: Sendable {
    public var level: LogLevel
    public var format: LogFormat
    private let clockMicros: @Sendable () -> Int64
    private let sink: @Sendable ([UInt8]) -> Void

    public init(
        level: LogLevel = .info, format: LogFormat = .text,
        clockMicros: @escaping @Sendable () -> Int64 = RealUpkeepClock.realMicros,
        sink: @escaping @Sendable ([UInt8]) -> Void = Logger.standardError
    ) {
        self.level = level
        self.format = format
        self.clockMicros = clockMicros
        self.sink = sink
    }

    public func debug(
        _ event: String, _ message: @autoclosure () -> String,
        _ fields: @autoclosure () -> KeyValuePairs<String, LogValue> = [:]
    ) {
        write(.debug, event, message, fields)
    }

    public func info(
        _ event: String, _ message: @autoclosure () -> String,
        _ fields: @autoclosure () -> KeyValuePairs<String, LogValue> = [:]
    ) {
        write(.info, event, message, fields)
    }

    public func warning(
        _ event: String, _ message: @autoclosure () -> String,
        _ fields: @autoclosure () -> KeyValuePairs<String, LogValue> = [:]
    ) {
        write(.warning, event, message, fields)
    }

    public func error(
        _ event: String, _ message: @autoclosure () -> String,
        _ fields: @autoclosure () -> KeyValuePairs<String, LogValue> = [:]
    ) {
        write(.error, event, message, fields)
    }

    /// Writes the event when `level` is at least the logger's; the message and fields are only
    /// built then.
    public func write(
        _ level: LogLevel, _ event: String, _ message: () -> String, _ fields: () -> KeyValuePairs<String, LogValue>
    ) {
        guard level >= self.level else { return }
        switch format {
        case .text: sink(Array("folkbok: \(message())\n".utf8))
        case .json: sink(jsonLine(level, event, message(), fields()))
        }
    }

    private func jsonLine(
        _ level: LogLevel, _ event: String, _ message: String, _ fields: KeyValuePairs<String, LogValue>
    ) -> [UInt8] {
        var w = JSONWriter(capacity: 256)
        w.raw("{\"time\":")
        w.string(Logger.timestamp(micros: clockMicros()))
        w.raw(",\"level\":")
        w.string(level.name)
        w.raw(",\"event\":")
        w.string(event)
        w.raw(",\"message\":")
        w.string(message)
        for (key, value) in fields {
            w.raw(",")
            w.string(key)
            w.raw(":")
            switch value {
            case .string(let s): w.string(s)
            case .int(let n): w.int(n)
            case .seconds(let s): w.double((s * 1000).rounded() / 1000)
            }
        }
        w.raw("}\n")
        return w.bytes
    }

    /// `2026-12-07T02:44:13.123Z`.
    static func timestamp(micros: Int64) -> String {
        var seconds = time_t(micros / 1_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let millis = Int(micros % 1_000_000 / 1000)
        let ms = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T"
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(ms)Z"
    }

    /// Unbuffered whole-line writes to file descriptor 2.
    public static let standardError: @Sendable ([UInt8]) -> Void = { bytes in
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(2, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            offset += n
        }
    }
}
