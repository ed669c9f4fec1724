/// Interns the dimension values of lookups so counters key on small integers: strings
/// (customers, regions, users) to string ids, callers (a session's customer, region, user,
/// purpose, contract) to caller ids, and each caller's (region, category, method) to an
/// `OpenContext` id for the public roll-up.
///
/// Guarantees: ids are dense, assigned in first-seen order (string ids from 1; 0 stands for
/// nil, caller and open-context ids from 0) and never change or get reused; every context
/// `caller * 20 + slot` of a known caller is valid, so a lookup's cell needs no interning
/// beyond its caller.
/// - Complexity: interning a new value is one hash insert; tables only grow.
struct DimensionTable: Sendable {
    /// String id `i` is `strings[i - 1]`.
    private(set) var strings: [String] = []
    private var stringIndex = IDIndex()
    private(set) var callers: [Caller] = []
    private var callerIndex = IDIndex()
    private(set) var openContexts: [OpenContext] = []
    private var openContextIDs: [OpenContext: UInt32] = [:]
    /// `openOfCaller[caller * 5 + method index]`: the caller's open context for that method.
    private var openOfCaller: [UInt32] = []

    /// The id of `s` (0 for nil), interning it if new.
    mutating func intern(_ s: String?) -> UInt32 {
        guard let s else { return 0 }
        let hash = StatsHash.string(s)
        if let index = stringIndex.find(hash, { strings[Int($0)] == s }) { return index + 1 }
        strings.append(s)
        return stringIndex.insert(hash) + 1
    }

    /// The id of `s` (0 for nil), nil if it was never interned.
    func stringID(_ s: String?) -> UInt32? {
        guard let s else { return 0 }
        return stringIndex.find(StatsHash.string(s), { strings[Int($0)] == s }).map { $0 + 1 }
    }

    /// The string with id `id`, nil for 0.
    func string(_ id: UInt32) -> String? {
        id == 0 ? nil : strings[Int(id) - 1]
    }

    mutating func intern(_ c: Caller) -> UInt32 {
        let hash = c.hash
        if let id = callerIndex.find(hash, { callers[Int($0)] == c }) { return id }
        precondition(callers.count < Self.maximumCallers, "more callers than a cell code can hold")
        callers.append(c)
        let id = callerIndex.insert(hash)
        for method in LookupMethod.allCases.sorted(by: { $0.diskCode < $1.diskCode }) {
            let open = OpenContext(region: c.region, category: c.category, method: method)
            if let known = openContextIDs[open] {
                openOfCaller.append(known)
            } else {
                let openID = UInt32(openContexts.count)
                openContexts.append(open)
                openContextIDs[open] = openID
                openOfCaller.append(openID)
            }
        }
        return id
    }

    /// Contexts must stay below 2³³ so a cell (`context << 7 | variant`) fits the 40 bits
    /// `PendingCounts` keys give it.
    static let maximumCallers = (1 << 33) / Int(CellCode.slotsPerCaller)

    /// The number of valid contexts (`callers.count * 20`).
    var contextCount: Int { callers.count * Int(CellCode.slotsPerCaller) }

    /// The customer (string id) of a context.
    @inline(__always)
    func customer(ofContext context: UInt32) -> UInt32 {
        callers[Int(CellCode.caller(of: context))].customer
    }

    /// The public roll-up id of a cell: `open context * 72 + variant`.
    @inline(__always)
    func openID(ofCell cell: UInt64) -> UInt32 {
        let context = CellCode.context(of: cell)
        let open = openOfCaller[
            Int(CellCode.caller(of: context)) * CellCode.methods + CellCode.methodIndex(of: context)]
        return open * UInt32(LookupVariant.count) + UInt32(CellCode.variant(of: cell))
    }

    /// The number of possible roll-up ids.
    var openIDCount: Int { openContexts.count * LookupVariant.count }
}
