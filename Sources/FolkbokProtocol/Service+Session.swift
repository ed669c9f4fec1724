import FolkbokJSON
import FolkbokModel

extension Service {
    /// `session.open`: checks the customer file, the peer's uid and the category rules; a
    /// second open on a connection replaces the first (also when it is refused: the old
    /// session ends, so a refused caller never keeps rights it asked to change).
    func openSession(id: JSONValue, _ params: JSONObject, connection: ConnectionState) throws(RPCError) -> [UInt8] {
        let p = try Params(params, allowed: ["customer", "purpose", "contract", "user"])
        let customerID = try p.requiredString("customer")
        let purpose = try p.choice("purpose", Purpose.self)
        let contract = try p.choice("contract", Contract.self)
        let user = try p.string("user")
        endSession(of: connection)
        let customer = config.customers[customerID]
        let isOperator = customer?.category == .operator
        if !isOperator, customer != nil, purpose == nil { throw .invalidParams("\"purpose\" is required") }
        let effectiveContract = isOperator ? contract : (contract ?? .normal)
        if let why = Session.refusal(
            customer: customer, uid: connection.uid, purpose: purpose, contract: effectiveContract)
        {
            throw .forbidden(why)
        }
        let session = Session(customer: customer!, purpose: purpose, contract: effectiveContract, user: user)
        connection.session = session
        connection.sessionOpenedAt = config.clockMicros()
        config.events(
            .sessionOpened(
                customer: session.customer.id, purpose: session.purpose?.rawValue,
                contract: session.contract?.rawValue, uid: connection.uid))
        return Reply.success(id: id) { w in
            w.raw("{\"customer\":")
            w.string(session.customer.id)
            w.raw(",\"category\":")
            w.string(session.customer.category.rawValue)
            w.raw(",\"contract\":")
            w.stringOrNull(session.contract?.rawValue)
            w.raw(",\"purpose\":")
            w.stringOrNull(session.purpose?.rawValue)
            w.raw("}")
        }
    }

    /// The session an operations method needs: 4001 without one, 4003 unless an operator.
    func operatorSession(_ session: Session?) throws(RPCError) -> Session {
        guard let session else { throw .unauthenticated }
        guard session.isOperator else { throw .forbidden("this method needs an operator session") }
        return session
    }
}
