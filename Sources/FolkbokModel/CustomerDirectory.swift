/// The validated set of customers a server runs with.
///
/// Guarantees: ids are unique; no private provider has an extended contract; every region code
/// is two digits and every municipality code four; every customer of category region has a
/// region and every municipality a municipality code.
public struct CustomerDirectory: Sendable {
    public let customers: [Customer]
    private let byID: [String: Customer]

    public struct ConfigError: Error, CustomStringConvertible, Sendable {
        public let description: String
    }

    public init(_ customers: [Customer]) throws(ConfigError) {
        var seen: [String: Customer] = [:]
        func fail(_ id: String, _ why: String) -> ConfigError { ConfigError(description: "customer \"\(id)\": \(why)") }
        func digits(_ s: String?, _ n: Int) -> Bool {
            s.map { $0.count == n && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) } ?? false
        }
        for c in customers {
            guard !c.id.isEmpty else { throw ConfigError(description: "a customer has an empty id") }
            guard seen[c.id] == nil else { throw fail(c.id, "appears more than once") }
            if c.category == .private, c.contracts.contains(.extended) {
                throw fail(c.id, "a private provider cannot have an extended contract")
            }
            if c.category == .region, !digits(c.region, 2) {
                throw fail(c.id, "a region needs a two-digit \"region\" code")
            }
            if c.category == .municipality, !digits(c.municipality, 4) {
                throw fail(c.id, "a municipality needs a four-digit \"municipality\" code")
            }
            if let r = c.region, !digits(r, 2) { throw fail(c.id, "\"region\" must be a two-digit code") }
            for r in c.bilateralRegions where !digits(r, 2) {
                throw fail(c.id, "\"bilateralRegions\" must hold two-digit codes")
            }
            for kind in c.statisticsExports where !["aggregated", "pseudonymised", "identified"].contains(kind) {
                throw fail(c.id, "unknown statistics export kind \"\(kind)\"")
            }
            seen[c.id] = c
        }
        self.customers = customers
        self.byID = seen
    }

    public subscript(id: String) -> Customer? { byID[id] }
}
