import Dispatch
import FolkbokDemo
import FolkbokEngine
import FolkbokJSON
import FolkbokModel
import FolkbokProtocol
import Glibc

/// The in-memory service every `fuzz-request` input talks to: the demo customers (this
/// process's uid allowed), a three-shard engine holding three persons (no protection,
/// sekretess, skyddad), no access log and no persistence. Built once; inputs never change
/// it, because writes are `.slow` work, which the fuzzer does not run.
enum RequestFixture {
    /// 2026-11-23T12:00:00Z
    static let now: Int64 = 1_795_435_200

    static let service: Service = {
        let config = ServiceConfig(
            customers: try! CustomerDirectory(DemoCustomers.make(uid: getuid())), version: "fuzz",
            clock: { now }, clockMicros: { now * 1_000_000 })
        let engine = Engine(shardCount: 3)
        let records = [
            person("191212121212", .none), person("189209259804", .sekretess), person("189506229807", .skyddad),
        ]
        let done = DispatchSemaphore(value: 0)
        Task {
            _ = try? await engine.commit(records.map { .upsert(IdentityKey($0.id)!, $0) })
            done.signal()
        }
        done.wait()
        return Service(config: config, engine: engine, gauges: ServerGauges(startedAt: now))
    }()

    /// The session opened before the input's lines, chosen by its first byte: none, the
    /// operator, or one of the demo customers with a purpose and contract.
    static let sessions: [String?] = [
        nil,
        #"{"id":0,"method":"session.open","params":{"customer":"operator"}}"#,
        #"{"id":0,"method":"session.open","params":{"customer":"SE2321000016-0001","purpose":"care","contract":"normal"}}"#,
        #"{"id":0,"method":"session.open","params":{"customer":"SE2321000016-0001","purpose":"care","contract":"extended"}}"#,
        #"{"id":0,"method":"session.open","params":{"customer":"SE2321000032-0003","purpose":"dental"}}"#,
        #"{"id":0,"method":"session.open","params":{"customer":"SE2120000001-0180","purpose":"municipal"}}"#,
        #"{"id":0,"method":"session.open","params":{"customer":"SE5561234567-0001","purpose":"care"}}"#,
        #"{"id":0,"method":"session.open","params":{"customer":"SE5569876543-0001","purpose":"care"}}"#,
    ]

    /// The answer bytes for one line, with lookups rendered on this thread as the event loop
    /// does; nil for slow and streamed work (asynchronous, and it could write). `general`
    /// skips the fast `person.get` path.
    static func answer(_ line: [UInt8], _ connection: ConnectionState, general: Bool = false) -> [UInt8]? {
        switch service.handle(line: line, connection: connection, general: general) {
        case .none: return []
        case .ready(let bytes): return bytes
        case .lookup(let keys, let render): return render(service.engine.recordsNow(for: keys)).bytes
        case .packedLookup(let key, let plan): return service.engine.withPacked(key) { plan.render($0) }.bytes
        case .slow, .stream: return nil
        }
    }

    /// Person data only the stored records hold (the address and contact details), to look for
    /// in error objects.
    static let personMarkers = ["Tolvansgatan", "t@example.se", "+46701234567"]

    /// Traps unless `bytes` is empty or one JSON text followed by "\n" (what the server
    /// writes), and if an error object in it holds person data the line did not bring.
    static func checkAnswer(_ bytes: [UInt8], line: some Collection<UInt8>) {
        guard !bytes.isEmpty else { return }
        guard bytes.last == 0x0A, bytes.dropLast().firstIndex(of: 0x0A) == nil else {
            fatalError("an answer is not exactly one line")
        }
        guard let answer = try? JSONParser.parse(Array(bytes.dropLast())) else { fatalError("an answer is not JSON") }
        let responses = answer.arrayValue ?? [answer]
        for case let error? in responses.map({ $0.objectValue?["error"] }) {
            var writer = JSONWriter()
            writer.value(error)
            let text = String(decoding: writer.bytes, as: UTF8.self)
            let input = String(decoding: line, as: UTF8.self)
            for marker in personMarkers where text.contains(marker) && !input.contains(marker) {
                fatalError("an error object holds person data")
            }
        }
    }

    private static func person(_ number: String, _ protection: Protection) -> PersonRecord {
        let today = CivilDate(year: 2026, month: 11, day: 23)!
        let id = try! IdentityParser.parse(number, today: today)
        return PersonRecord(
            id: id, name: PersonName(given: "Tolvan Sven", callName: "Tolvan", middle: nil, surname: "Tolvansson"),
            birthDate: id.impliedBirthDate, sex: id.impliedSex,
            address: PostalAddress(careOf: nil, street: "Tolvansgatan 12", postalCode: "12345", city: "STOCKHOLM"),
            county: "01", municipality: "0180", protection: protection, test: true, region: "01",
            contact: ContactDetails(
                email: "t@example.se", phone: "+46701234567",
                consent: Consent(source: "1177", date: CivilDate(year: 2026, month: 1, day: 2)!), version: 3))
    }
}
