/// An open session: who the caller is and under which purpose and contract it asks.
/// Operators have neither purpose nor contract.
public struct Session: Sendable, Equatable {
    /// The customer, boxed: a session is copied into every request's plan and access-log
    /// stamp, and a box costs one retain where the customer's own fields cost a dozen.
    private let box: CustomerBox
    public var customer: Customer {
        _read { yield box.customer }
    }
    /// The customer's id, read without copying the customer.
    public var customerID: String { box.customer.id }
    public let purpose: Purpose?
    public let contract: Contract?
    public let user: String?

    public init(customer: Customer, purpose: Purpose?, contract: Contract?, user: String?) {
        box = CustomerBox(customer)
        self.purpose = purpose
        self.contract = contract
        self.user = user
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

/// An immutable customer behind one reference (see `Session.customer`).
private final class CustomerBox: Sendable {
    let customer: Customer
    init(_ customer: Customer) { self.customer = customer }
}
