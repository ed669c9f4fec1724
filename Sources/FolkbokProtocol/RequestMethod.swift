/// The request kinds the metrics count, by a small index: every method the service
/// dispatches, then a batch line, a line that is no valid request, and an unknown method.
/// The names are the label values of `folkbok_requests_total{method=…}`; a client-chosen
/// method name never becomes a label (it counts as `unknown`), so the label set stays bounded.
///
/// Guarantees: `names[i]` is the name of index `i`; every method `Service` dispatches has an
/// index (RequestMethodTests checks it against the dispatch switch); at most 64 indices, so a
/// loop can keep the ones it touched in one word.
public enum RequestMethod {
    public static let names: [String] = [
        "ping", "session.open", "person.get", "person.getMany", "person.search",
        "reserve.assign", "reserve.register", "reserve.update", "reserve.get", "reserve.link", "reserve.unlink",
        "contact.set", "contact.delete", "extract.create",
        "admin.info", "admin.import", "admin.snapshot", "admin.metrics", "admin.promote", "audit.query", "audit.verify",
        "stats.open", "stats.get", "stats.export", "stats.fetch", "stats.exports", "stats.delete",
        "batch", "invalid", "unknown",
    ]

    public static let personGet = 2
    /// A line holding a JSON array of calls (its calls are not counted one by one).
    public static let batch = names.count - 3
    /// A line that is not JSON, not a request object, an empty batch, or too long.
    public static let invalid = names.count - 2
    /// A request naming a method the server does not have.
    public static let unknown = names.count - 1
    /// A blank line: answered with nothing and not counted.
    public static let blank = -1

    public static let adminImport = index(of: "admin.import")

    /// The priority a method's slow work runs at. An import runs at background priority (on
    /// Linux, Dispatch runs it on threads of its own, which `BackgroundPriority` puts under the
    /// idle scheduling policy), so it takes the cores the event loops leave idle and never their
    /// share; everything else keeps the priority the event loop gives it (nil: a task started
    /// from a loop thread, user-initiated, nice -2).
    public static func taskPriority(_ method: Int) -> TaskPriority? {
        method == adminImport ? .background : nil
    }

    private static let byName: [String: Int] = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })

    /// The index of a dispatched method's name; `unknown` for any other text.
    public static func index(of method: String) -> Int {
        guard let i = byName[method], i < batch else { return unknown }
        return i
    }
}
