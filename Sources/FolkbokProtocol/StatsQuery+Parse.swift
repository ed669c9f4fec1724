import FolkbokJSON
import FolkbokModel
import FolkbokStats

/// Reading `stats.*` JSON-RPC params into a `StatsQuery`: the protocol half of the usage
/// statistics, kept out of FolkbokStats so the statistics module knows no JSON.
extension StatsQuery {
    /// The default range is the 30 days ending `to`.
    public static let defaultDays = 30

    /// Parses `method`'s params, implementing every -32602 rule of docs/PROTOCOL.md's usage
    /// statistics: an unknown param; a param of the wrong type; a malformed `from`/`to`; `to`
    /// before `from`; an unknown granularity (or `hour` in `stats.open`); a `by` entry that is
    /// unknown, repeated or not allowed for the method; a `format` other than `json`/`csv`; a
    /// missing or unknown export `kind`. A `null` param counts as absent, as elsewhere in the
    /// protocol. Defaults: `to` = `today`, `from` = `to` − 29 days, `day`, `by` = `[]`, `json`.
    /// - Throws: `StatsParamError` naming the param. Unknown params are reported first, then
    ///   `to`, `from`, their order, `granularity`, `by`, `format`, `customer`, `sessions`, `kind`.
    public static func parse(_ params: JSONObject, for method: StatsMethod, today: CivilDate) throws(StatsParamError)
        -> StatsQuery
    {
        let allowed = method.params
        for key in params.keys where !allowed.contains(key) {
            throw StatsParamError(parameter: key, "unknown param \(StatsParamError.quoted(key)) for \(method.rawValue)")
        }
        let p = ParamReader(object: params)
        let givenTo = try p.date("to")
        let givenFrom = try p.date("from")
        let to = givenTo ?? today
        let from = givenFrom ?? CivilDate(daysSinceEpoch: max(to.daysSinceEpoch - (defaultDays - 1), Self.firstDay))
        guard from <= to else {
            throw givenTo == nil
                ? StatsParamError(parameter: "from", "\"from\" is after today, the default \"to\"")
                : StatsParamError(parameter: "to", "\"to\" is before \"from\"")
        }
        var query = StatsQuery(method: method, from: from, to: to)
        query.granularity = try granularity(p, method)
        query.by = try dimensions(p, method)
        if method == .open, let format = try p.string("format") {
            guard let f = StatsFormat(rawValue: format) else {
                throw StatsParamError(parameter: "format", "\"format\" must be \"json\" or \"csv\"")
            }
            query.format = f
        }
        if method == .get {
            query.customer = try p.string("customer")
            query.sessions = try p.bool("sessions") ?? false
        }
        if method == .export {
            let names = "\"aggregated\", \"pseudonymised\" or \"identified\""
            guard let kind = try p.string("kind") else {
                throw StatsParamError(parameter: "kind", "\"kind\" is required: \(names)")
            }
            guard let k = StatsExportKind(rawValue: kind) else {
                throw StatsParamError(parameter: "kind", "\"kind\" must be \(names)")
            }
            query.exportKind = k
        }
        return query
    }

    /// 0001-01-01, the first day `CivilDate` knows.
    private static let firstDay = CivilDate(year: 1, month: 1, day: 1)!.daysSinceEpoch

    private static func granularity(_ p: ParamReader, _ method: StatsMethod) throws(StatsParamError) -> StatsGranularity
    {
        let names = method.allowsHourly ? "\"hour\", \"day\", \"month\" or \"year\"" : "\"day\", \"month\" or \"year\""
        guard let text = try p.string("granularity") else { return .day }
        guard let g = StatsGranularity(rawValue: text) else {
            throw StatsParamError(parameter: "granularity", "\"granularity\" must be \(names)")
        }
        guard g != .hour || method.allowsHourly else {
            throw StatsParamError(
                parameter: "granularity", "\"granularity\" \"hour\" is not allowed in \(method.rawValue): use \(names)")
        }
        return g
    }

    private static func dimensions(_ p: ParamReader, _ method: StatsMethod) throws(StatsParamError) -> [StatsDimension]
    {
        guard let value = p.value("by") else { return [] }
        guard case .array(let items) = value else {
            throw StatsParamError(parameter: "by", "\"by\" must be an array of dimension names")
        }
        var by: [StatsDimension] = []
        for item in items {
            guard case .string(let name) = item else {
                throw StatsParamError(parameter: "by", "\"by\" must be an array of dimension names")
            }
            guard let d = StatsDimension(rawValue: name) else {
                throw StatsParamError(
                    parameter: "by", "\"by\" has an unknown dimension \(StatsParamError.quoted(name))")
            }
            guard method.allows(d) else {
                throw StatsParamError(parameter: "by", "\"by\" may not use \"\(name)\" in \(method.rawValue)")
            }
            guard !by.contains(d) else {
                throw StatsParamError(parameter: "by", "\"by\" names \"\(name)\" more than once")
            }
            by.append(d)
        }
        return by
    }
}

/// Typed reads of one params object; `null` reads as absent.
private struct ParamReader {
    let object: JSONObject

    func value(_ key: String) -> JSONValue? {
        guard let v = object[key], !v.isNull else { return nil }
        return v
    }

    func string(_ key: String) throws(StatsParamError) -> String? {
        guard let v = value(key) else { return nil }
        guard case .string(let s) = v else { throw StatsParamError(parameter: key, "\"\(key)\" must be a string") }
        return s
    }

    func bool(_ key: String) throws(StatsParamError) -> Bool? {
        guard let v = value(key) else { return nil }
        guard case .bool(let b) = v else { throw StatsParamError(parameter: key, "\"\(key)\" must be true or false") }
        return b
    }

    func date(_ key: String) throws(StatsParamError) -> CivilDate? {
        guard let v = value(key) else { return nil }
        guard case .string(let s) = v else {
            throw StatsParamError(parameter: key, "\"\(key)\" must be a date string YYYY-MM-DD")
        }
        guard let d = CivilDate(iso: s) else {
            throw StatsParamError(parameter: key, "\"\(key)\" is not a date YYYY-MM-DD")
        }
        return d
    }
}
