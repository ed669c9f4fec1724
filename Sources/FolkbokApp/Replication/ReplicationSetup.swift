/// The replication flags checked at start-up: addresses parsed, the key loaded and checked.
///
/// Guarantees: a TCP address without `--replication-key`, a malformed address or a key file
/// that is too short, not the server user's or readable by others fails start-up with a sentence.
struct ReplicationSetup: Sendable {
    let listen: ReplicationAddress?
    let primary: ReplicationEndpoint?
    /// The key for the listening side (nil without `--replication-key`).
    let listenKey: ReplicationKey?

    init(_ config: AppConfig) throws(AppStartError) {
        let key = try config.replicationKey.map { (path) throws(AppStartError) in try ReplicationKey.load(path) }
        func parse(_ flag: String, _ text: String?) throws(AppStartError) -> ReplicationAddress? {
            guard let text else { return nil }
            guard let address = ReplicationAddress(text) else {
                throw AppStartError(
                    "--\(flag) takes a Unix socket path (with a /) or HOST:PORT (an IPv4 address or localhost)")
            }
            if address.isTCP && key == nil {
                throw AppStartError("--\(flag) \(text) is TCP: it needs --replication-key FILE")
            }
            return address
        }
        listenKey = key
        listen = try parse("replication-listen", config.replicationListen)
        primary = try parse("replica-of", config.replicaOf).map { ReplicationEndpoint(address: $0, key: key) }
    }
}
