/// An open session: who the caller is and under which purpose and contract it asks.
/// Operators have neither purpose nor contract.
public struct Session: Sendable, Equatable {
    /// The customer and the callers of `person.get`, boxed: a session is copied into every
    /// request's plan and access-log stamp, and a box costs one retain where the customer's own
    /// fields cost a dozen.
    private let box: SessionBox
    public var customer: Customer {
        _read { yield box.customer }
    }
    /// The customer's id, read without copying the customer.
    public var customerID: String { box.customer.id }
    public let purpose: Purpose?
    public let contract: Contract?
    public let user: String?

    public init(customer: Customer, purpose: Purpose?, contract: Contract?, user: String?) {
        self.purpose = purpose
        self.contract = contract
        self.user = user
        box = SessionBox(customer)
        box.getCallers = [nil, .P1, .P2, .P3, .P4, .P5].map { AuditCaller(self, method: "person.get", profile: $0) }
    }

    /// The access-log caller of this session's `person.get` with `profile`, made once per
    /// session (the commonest call allocates none).
    public func getCaller(_ profile: Profile?) -> AuditCaller {
        switch profile {
        case nil: box.getCallers[0]
        case .P1: box.getCallers[1]
        case .P2: box.getCallers[2]
        case .P3: box.getCallers[3]
        case .P4: box.getCallers[4]
        case .P5: box.getCallers[5]
        }
    }

    public var isOperator: Bool { customer.category == .operator }

    public static func == (a: Session, b: Session) -> Bool {
        a.customer == b.customer && a.purpose == b.purpose && a.contract == b.contract && a.user == b.user
    }

    /// Why `session.open` must refuse, or nil if the request is allowed (docs/PROTOCOL.md "Sessions and customers").
    public static func refusal(customer: Customer?, uid: UInt32, purpose: Purpose?, contract: Contract?) -> String? {
        guard let customer else { return "unknown customer" }
        guard customer.uids.contains(uid) else { return "this Unix user may not open a session as this customer" }
        if customer.category == .operator {
            return purpose == nil && contract == nil ? nil : "an operator session takes no purpose or contract"
        }
        guard customer.dataProcessingAgreement else { return "the customer has no data processing agreement" }
        guard let purpose, let contract else { return "purpose and contract are required" }
        guard customer.contracts.contains(contract) else { return "the contract is not allowed for this customer" }
        guard customer.purposes.contains(purpose) else { return "the purpose is not allowed for this customer" }
        switch customer.category {
        case .private:
            guard customer.publiclyContracted else { return "a private provider must be publicly contracted" }
            guard contract == .normal else { return "a private provider may only use the normal contract" }
            guard purpose == .care else { return "a private provider may only ask for care" }
        case .municipality:
            guard purpose == .municipal || purpose == .hr else {
                return "a municipality may only ask for municipal or hr"
            }
        case .region, .operator:
            break
        }
        return nil
    }
}

/// An immutable customer and its session's `person.get` callers behind one reference (see
/// `Session.customer`).
private final class SessionBox: @unchecked Sendable {
    // @unchecked: `getCallers` is set once, in `Session.init`, before the box is shared.
    let customer: Customer
    var getCallers: [AuditCaller] = []
    init(_ customer: Customer) { self.customer = customer }
}
