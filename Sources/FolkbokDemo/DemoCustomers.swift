import FolkbokModel

/// The demo's customers: one of every kind docs/PROTOCOL.md describes, so every rule can be tried.
///
/// Guarantees: ids are stable (the command-line clients default to `SE2321000016-0001`,
/// purpose `care`, contract `normal`); `uids` always include the given uid (the user who
/// started the demo) and root.
public enum DemoCustomers {
    public static func make(uid: UInt32) -> [Customer] {
        let uids = Array(Set([0, 1000, uid])).sorted()
        return [
            Customer(
                id: "SE2321000016-0001", name: "Region Stockholm", category: .region, region: "01",
                contracts: [.normal, .extended], purposes: [.care, .infection_control, .dental, .administration],
                dataProcessingAgreement: true, bilateralRegions: ["03"], admin: true, uids: uids),
            Customer(
                id: "SE2321000032-0003", name: "Region Uppsala", category: .region, region: "03",
                contracts: [.normal], purposes: [.care, .dental], dataProcessingAgreement: true, uids: uids),
            Customer(
                id: "SE2120000001-0180", name: "Stockholms stad", category: .municipality, municipality: "0180",
                contracts: [.normal], purposes: [.municipal, .hr], dataProcessingAgreement: true, uids: uids),
            Customer(
                id: "SE5561234567-0001", name: "Vårdbolaget AB", category: .private, contracts: [.normal],
                purposes: [.care], dataProcessingAgreement: true, publiclyContracted: true, uids: uids),
            Customer(
                id: "SE5569876543-0001", name: "Hälsokonsult utan avtal AB", category: .private, contracts: [.normal],
                purposes: [.care], dataProcessingAgreement: false, publiclyContracted: true, uids: uids),
            Customer(id: "operator", name: "Operations", category: .operator, uids: uids),
        ]
    }
}
