import FolkbokModel

/// A customer session that ended (its connection closed, a new `session.open` replaced it, or
/// the server shut down): counted once, in the hour it ended, with its user and length.
///
/// Guarantees: `seconds` is finite, not negative and at most `longest` (the initialisers clamp),
/// so the counters can sum lengths exactly in whole microseconds.
public struct SessionEvent: Sendable, Hashable {
    public let customer: String
    public let user: String?
    /// The UTC hour the session ended in.
    public let hour: StatsHour
    /// The session's length.
    public let seconds: Double

    public init(customer: String, user: String?, hour: StatsHour, seconds: Double) {
        self.customer = customer
        self.user = user
        self.hour = hour
        self.seconds = seconds.isFinite ? min(max(0, seconds), Self.longest) : 0
    }

    /// The event for `session` ending at `endedMicros` after opening at `openedMicros`, or nil
    /// for an operator session (never counted).
    public init?(session: Session, openedMicros: Int64, endedMicros: Int64) {
        guard !session.isOperator else { return nil }
        self.init(
            customer: session.customer.id, user: session.user, hour: StatsHour(unixMicros: endedMicros),
            seconds: Double(max(0, endedMicros - openedMicros)) / 1_000_000)
    }

    /// The longest length counted (about 31,700 years); longer ones are clamped to it.
    public static let longest: Double = 1e12

    /// The length in whole microseconds, the unit the counters sum in.
    var micros: UInt64 { UInt64((seconds * 1_000_000).rounded()) }
}
