import FolkbokEngine
import FolkbokJSON
import FolkbokModel
import FolkbokStorage
import FolkbokSync

extension Service {
    /// `admin.metrics`: the metrics text (`metricsText`) as the result string.
    func adminMetrics(id: JSONValue, _ params: JSONObject, session: Session?) throws(RPCError) -> Outcome {
        _ = try Params(params, allowed: [])
        _ = try operatorSession(session)
        let text = metricsText()
        return .ready(Reply.success(id: id) { w in w.string(text) })
    }

    /// The server's metrics in the Prometheus text exposition format 0.0.4 (docs/PROTOCOL.md
    /// "admin.metrics" lists the families). Safe from any thread; it reads the loops' counters
    /// with relaxed loads and takes only short locks the request path also takes briefly (a
    /// shard view's, the logs' state), so it never holds up a request for long.
    public func metricsText() -> String {
        var out = PrometheusText()
        let loops = metrics.all
        out.family(
            "folkbok_requests_total", .counter,
            "Requests answered, by method and outcome (ok, or the error code's class: -32xxx, 4xxx, 5xxx; none for notifications)."
        )
        for method in RequestMethod.names.indices {
            for outcome in ReplyOutcome.allCases {
                let n = loops.reduce(0) { $0 &+ $1.requests(method, outcome) }
                if n > 0 {
                    out.sample(
                        "folkbok_requests_total",
                        labels: ["method": RequestMethod.names[method], "outcome": outcome.label], n)
                }
            }
        }
        out.family(
            "folkbok_request_duration_seconds", .histogram,
            "Seconds from reading a request to queueing its answer (after the access log's sync in strict mode), by method."
        )
        for method in RequestMethod.names.indices {
            let h = loops.reduce(HistogramSnapshot(bounds: LoopMetrics.latencyBounds)) { $0.merged($1.latency(method)) }
            if h.count > 0 {
                out.histogram("folkbok_request_duration_seconds", [("method", RequestMethod.names[method])], h)
            }
        }
        out.family("folkbok_connections_open", .gauge, "Client connections open now.")
        out.sample("folkbok_connections_open", Double(gauges.connections.load(ordering: .relaxed)))
        out.family("folkbok_loop_connections_open", .gauge, "Client connections open now, per event loop.")
        for (index, loop) in loops.enumerated() {
            out.sample("folkbok_loop_connections_open", labels: ["loop": String(index)], loop.connectionsOpen)
        }
        out.family("folkbok_connections_accepted_total", .counter, "Client connections accepted.")
        out.sample("folkbok_connections_accepted_total", loops.reduce(0) { $0 &+ $1.connectionsAccepted })
        out.family(
            "folkbok_connections_refused_total", .counter,
            "Client connections refused (over --max-connections or out of descriptors).")
        out.sample("folkbok_connections_refused_total", loops.reduce(0) { $0 &+ $1.connectionsRefused })
        out.family("folkbok_persons", .gauge, "Person records held (population and reserve identities).")
        out.sample("folkbok_persons", UInt64(engine.shards.reduce(0) { $0 + $1.view.read { $0.count } }))
        out.family("folkbok_lsn", .gauge, "Log sequence number of the last change applied.")
        out.sample("folkbok_lsn", engine.lsn)
        out.family("folkbok_read_only", .gauge, "1 while the register refuses writes after a log failure, else 0.")
        out.sample("folkbok_read_only", UInt64(engine.readOnlyReason == nil ? 0 : 1))
        writeStorageMetrics(into: &out)
        return out.text
    }

    private func writeStorageMetrics(into out: inout PrometheusText) {
        let accessLog = audit?.metrics
        out.family("folkbok_log_bytes", .gauge, "Bytes of record frames in the register's write-ahead log segments.")
        if let persistence { out.sample("folkbok_log_bytes", UInt64(persistence.walBytes)) }
        out.family(
            "folkbok_log_group_commit_records", .histogram,
            "Records written per group commit (one write and one fdatasync), by log: register or access.")
        if let persistence {
            out.histogram("folkbok_log_group_commit_records", [("log", "register")], persistence.wal.metrics.groupSizes)
        }
        if let accessLog {
            out.histogram("folkbok_log_group_commit_records", [("log", "access")], accessLog.wal.groupSizes)
        }
        out.family(
            "folkbok_log_sync_seconds", .histogram,
            "Seconds per group commit's write and fdatasync, by log: register or access.")
        if let persistence {
            out.histogram("folkbok_log_sync_seconds", [("log", "register")], persistence.wal.metrics.syncSeconds)
        }
        if let accessLog { out.histogram("folkbok_log_sync_seconds", [("log", "access")], accessLog.wal.syncSeconds) }
        out.family(
            "folkbok_access_log_waiting_entries", .gauge, "Access-log entries queued whose sync has not completed yet.")
        if let accessLog { out.sample("folkbok_access_log_waiting_entries", accessLog.waiting) }
        out.family("folkbok_snapshot_last_lsn", .gauge, "Log sequence number the newest snapshot covers (0: none).")
        if let persistence { out.sample("folkbok_snapshot_last_lsn", persistence.snapshotLSN) }
        out.family("folkbok_snapshots_total", .counter, "Snapshots written since the server started.")
        if let persistence { out.sample("folkbok_snapshots_total", persistence.snapshotsWritten) }
        out.family(
            "folkbok_snapshot_last_duration_seconds", .gauge,
            "Seconds the last snapshot written since start took (0: none yet).")
        if let persistence { out.sample("folkbok_snapshot_last_duration_seconds", persistence.lastSnapshotSeconds) }
        out.family(
            "folkbok_recovery_duration_seconds", .gauge,
            "Seconds start-up recovery took (snapshot load and log replay).")
        if let persistence { out.sample("folkbok_recovery_duration_seconds", persistence.recoverySeconds) }
        if let replication = config.replication {
            let label = replication.writeRefusal == nil ? "replica" : "primary"
            let lag = replication.lag
            out.family(
                "folkbok_replication_lag_records", .gauge,
                "Records a replica lacks: on a primary one sample per replica, on a replica one for its primary.")
            for link in lag { out.sample("folkbok_replication_lag_records", labels: [label: link.peer], link.records) }
            out.family(
                "folkbok_replication_lag_seconds", .gauge,
                "Seconds a replica has been behind its primary (on a primary, per replica).")
            for link in lag {
                if let seconds = link.seconds {
                    out.sample("folkbok_replication_lag_seconds", labels: [label: link.peer], seconds)
                }
            }
        }
    }
}
