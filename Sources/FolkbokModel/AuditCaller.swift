/// Who asks and how, as an access-log entry records it: the customer, the user, the purpose,
/// the contract, the method and the profile. One immutable object is shared by every entry
/// it describes, so an entry carries one reference where it carried six strings (each entry
/// is copied into the log's queue and read by its writer: six retains and releases per copy).
///
/// Guarantees: immutable; equal when every field is equal (not by identity); `customerKey` is
/// the customer's access-log index key (FNV-1a 64 over "C" and the id's UTF-8, frozen: the
/// keys are stored in index files), computed once.
public final class AuditCaller: Sendable, Equatable {
    public let customer: String
    public let user: String?
    public let purpose: String?
    public let contract: String?
    public let method: String
    public let profile: String?
    public let customerKey: UInt64

    public init(
        customer: String, user: String?, purpose: String?, contract: String?, method: String, profile: String?
    ) {
        self.customer = customer
        self.user = user
        self.purpose = purpose
        self.contract = contract
        self.method = method
        self.profile = profile
        customerKey = Self.customerKey(customer)
    }

    /// The caller of a session's requests of `method` with `profile`.
    public convenience init(_ session: Session, method: String, profile: Profile?) {
        self.init(
            customer: session.customerID, user: session.user, purpose: session.purpose?.rawValue,
            contract: session.contract?.rawValue, method: method, profile: profile?.rawValue)
    }

    /// FNV-1a 64 over "C" and the customer id's UTF-8.
    public static func customerKey(_ customer: String) -> UInt64 {
        var h = (0xcbf2_9ce4_8422_2325 ^ UInt64(UInt8(ascii: "C"))) &* 0x0000_0100_0000_01b3
        for b in customer.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
        return h
    }

    public static func == (a: AuditCaller, b: AuditCaller) -> Bool {
        a === b
            || (a.customer == b.customer && a.user == b.user && a.purpose == b.purpose && a.contract == b.contract
                && a.method == b.method && a.profile == b.profile)
    }
}
