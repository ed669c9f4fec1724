import FolkbokEngine
import FolkbokJSON
import FolkbokModel
import Glibc

@testable import FolkbokProtocol

/// An in-process service with a small known population and the demo-like customers, plus a
/// way to send a line and get the answer as the server would write it.
struct ServiceHarness {
    let service: Service
    let connection: ConnectionState
    let audit = MemoryAuditTrail()
    /// 2026-11-23T12:00:00Z
    static let now: Int64 = 1_795_435_200

    static let plain = "191212121212"
    static let sekretess = "189209259804"
    static let skyddad = "189506229807"

    static func customers(uid: UInt32) -> [Customer] {
        [
            Customer(
                id: "region-ext", name: "R", category: .region, region: "01", contracts: [.normal, .extended],
                purposes: [.care, .administration], dataProcessingAgreement: true, admin: true, uids: [uid],
                profiles: [.P4, .P5]),
            Customer(
                id: "muni", name: "M", category: .municipality, municipality: "0180", contracts: [.normal],
                purposes: [.municipal, .hr], dataProcessingAgreement: true, uids: [uid]),
            Customer(
                id: "private", name: "P", category: .private, contracts: [.normal], purposes: [.care],
                dataProcessingAgreement: true, publiclyContracted: true, uids: [uid]),
            Customer(
                id: "no-dpa", name: "N", category: .region, region: "03", contracts: [.normal], purposes: [.care],
                dataProcessingAgreement: false, uids: [uid]),
            Customer(
                id: "other-uid", name: "O", category: .region, region: "04", contracts: [.normal], purposes: [.care],
                dataProcessingAgreement: true, uids: [uid &+ 1]),
            Customer(id: "operator", name: "Ops", category: .operator, uids: [uid]),
        ]
    }

    static func person(_ number: String, _ protection: Protection) -> PersonRecord {
        let id = try! IdentityParser.parse(number, today: CivilDate(year: 2026, month: 11, day: 23)!)
        return PersonRecord(
            id: id, name: PersonName(given: "Tolvan Sven", callName: "Tolvan", middle: nil, surname: "Tolvansson"),
            birthDate: id.impliedBirthDate, sex: id.impliedSex,
            address: PostalAddress(careOf: nil, street: "Tolvansgatan 12", postalCode: "12345", city: "STOCKHOLM"),
            county: "01", municipality: "0180", protection: protection, test: true, region: "01",
            contact: ContactDetails(
                email: "t@example.se", phone: "+46701234567",
                consent: Consent(source: "1177", date: CivilDate(year: 2026, month: 1, day: 2)!), version: 3),
            details: PersonDetails(
                civilStatus: .init(code: "G", date: RegisterDate(iso: "1990-05")),
                citizenships: [.init(country: "SE", date: nil)]),
            history: [HistoryEntry(value: .municipality("0114"), until: CivilDate(year: 2025, month: 1, day: 2)!)])
    }

    init(configure: (inout ServiceConfig) -> Void = { _ in }) async {
        let uid = getuid()
        var config = ServiceConfig(
            customers: try! CustomerDirectory(Self.customers(uid: uid)), version: "test", clock: { Self.now },
            clockMicros: { Self.now * 1_000_000 })
        configure(&config)
        let engine = Engine(shardCount: 3)
        let records = [
            Self.person(Self.plain, .none), Self.person(Self.sekretess, .sekretess),
            Self.person(Self.skyddad, .skyddad),
        ]
        _ = try? await engine.commit(records.map { .upsert(IdentityKey($0.id)!, $0) })
        service = Service(config: config, engine: engine, gauges: ServerGauges(startedAt: Self.now), audit: audit)
        connection = ConnectionState(uid: uid)
    }

    /// The answer line (without newline), or nil when nothing is sent back.
    func send(_ line: String, general: Bool = false) async -> String? {
        let bytes: [UInt8]
        switch service.handle(line: Array(line.utf8), connection: connection, general: general) {
        case .none: return nil
        case .ready(let b): bytes = b
        case .lookup(let keys, let render): bytes = await service.run(lookups: [(keys, render)])[0]
        case .packedLookup(let key, let plan):
            let rendered = service.engine.withPacked(key) { plan.render($0) }
            bytes = await service.release([rendered])[0]
        case .slow(let work): bytes = await work()
        case .stream(let work):
            let streamed = Streamed()
            let answer = await work(
                StreamSink {
                    streamed.lines += $0
                    return true
                })
            bytes = streamed.lines + answer
        }
        guard !bytes.isEmpty else { return nil }
        return String(decoding: bytes.dropLast(), as: UTF8.self)
    }

    func json(_ line: String) async -> JSONValue? {
        guard let answer = await send(line) else { return nil }
        return try? JSONParser.parse(answer)
    }

    func open(_ customer: String, purpose: String? = "care", contract: String? = "normal") async -> JSONValue? {
        var params = "\"customer\":\"\(customer)\""
        if let purpose { params += ",\"purpose\":\"\(purpose)\"" }
        if let contract { params += ",\"contract\":\"\(contract)\"" }
        return await json("{\"id\":0,\"method\":\"session.open\",\"params\":{\(params)}}")
    }
}

extension JSONValue {
    subscript(_ key: String) -> JSONValue? { objectValue?[key] }
    var errorCode: Int64? { self["error"]?["code"]?.int64Value }
    var errorReason: String? { self["error"]?["data"]?["reason"]?.stringValue }
}

/// Lines streamed ahead of an answer, kept for the test.
final class Streamed: @unchecked Sendable {
    var lines: [UInt8] = []
}
