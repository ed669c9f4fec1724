import Glibc

/// Help texts of the command line. `folkbok help` prints `overview`; `folkbok CMD --help`
/// prints that command's text.
enum Usage {
    static let overview = """
        folkbok: the person-data service over a local Unix socket.

        Usage: folkbok <command> [options]

        Commands:
          serve      run the server (embedded demo on first start)
          get        look up one person and print the record readably
          call       send one JSON-RPC request and print the raw answer
          info       print the server's admin.info
          promote    make the replica on --socket the primary (replication)
          stats      print usage statistics as a table or CSV; `stats export` writes an export as CSV
          import     import NDJSON files or a Navet delivery into the running server
          generate   write N synthetic person records as NDJSON to stdout, or as Navet files
          snapshot   ask the server for a snapshot now; `snapshot verify FILE` checks one
          restore    prepare a data directory from a snapshot (and the log beside it)
          help       print this text

        Every command takes --help. Clients find the server by --socket PATH or FOLKBOK_SOCKET
        (default ./folkbok.sock).
        """

    static let serve = """
        Usage: folkbok serve [--socket PATH] [--data DIR] [--customers FILE] [--shards N] [--max-line BYTES]
                             [--loops N] [--max-connections N] [--max-connection-rate N]
                             [--max-input-memory BYTES] [--line-timeout SECONDS]
                             [--stats-threshold N] [--export-ttl SECONDS] [--metrics-listen [HOST:]PORT]
                             [--log-format text|json] [--log-level debug|info|warning|error]
                             [--replication-listen ADDR] [--replica-of ADDR [--resync]] [--replication-uids UID,...]
                             [--replication-key FILE]
                             [--sync-replicas N] [--catchup-snapshot N]

        Runs the server on a Unix socket (default ./folkbok.sock, or FOLKBOK_SOCKET).
          --data DIR         data directory (default Snapshots/, relative to the working directory)
          --customers FILE   customers file (JSON); default <data>/customers.json, written with the
                             demo customers on first start
          --shards N         shard actors (default: 2 per core, at least 4)
          --max-line BYTES   longest request line (default 1048576)
          --loops N          event-loop threads answering lookups (default: the number of cores)
          --max-connections N  open connections at most (default 10000); one more gets a 5003
                             too_many_connections line and is closed
          --max-connection-rate N  new connections accepted per second, after a burst of as many
                             (default 2000; 0: no limit); past it connecting clients wait
          --max-input-memory BYTES  all unfinished request lines together (default 268435456, 256 MiB;
                             K, M, G suffixes are KiB, MiB, GiB); past it the longest is refused
          --line-timeout SECONDS  close a connection whose unfinished line gets no byte for this long
                             (default 60)
          --stats-threshold N  small-cell threshold of public statistics (default 5, at least 3)
          --export-ttl SECONDS lifetime of statistics exports (default 604800)
          --stats on|off     off counts no usage statistics (only to measure their cost; default on)
          --snapshot-every N|Nm|off  snapshot after N log records (default 1000000) or N minutes
          --keep-snapshots K   snapshots kept (default 2); older log segments are removed
          --log-segment-bytes BYTES  the size a log segment grows to before the next begins
                             (default 64M, at least 64K; K, M, G suffixes); only whole segments
                             older than the kept snapshots are removed
          --recover truncate-log  start even if the log is corrupt, dropping it from the bad record on
          --audit-retention DAYS  access-log retention (default and minimum 1826, five years)
          --audit-sync strict|batched  strict (default): an answer leaves only once its access-log
                             entries are on disk; batched: they are synced by the next group commit
          --metrics-listen [HOST:]PORT  serve the metrics (Prometheus text) at http://HOST:PORT/metrics
                             (HOST: an IPv4 address or localhost, default 127.0.0.1; port 0: any free)
          --log-format text|json  one line per event on stderr: `folkbok: message` (default) or a JSON
                             object with time, level, event, message and the event's fields
          --log-level debug|info|warning|error  the least level written (default info); logs never
                             hold person data
          --replication-listen PATH|HOST:PORT  offer this node's log to replicas on a Unix socket
                             (peers must run as this server's uid or one of --replication-uids) or TCP
          --replica-of PATH|HOST:PORT  follow that primary (a hot standby: reads only, writes answer
                             5003 read_only_replica) until `folkbok promote`
          --replication-key FILE  the shared secret TCP links need (at least 32 bytes, mode 0600 or
                             0400); TCP is not encrypted: use it inside WireGuard or an SSH tunnel
          --resync           with --replica-of: discard this node's register (log, snapshots,
                             epoch) and copy it from the primary again
          --replication-uids UID,...  uids besides the server's own that may replicate from it
          --sync-replicas N  answer each write only once N replicas hold it durably (default 0);
                             with fewer connected, writes wait and reads go on
          --catchup-snapshot N  a replica lacking at least N records that the newest snapshot holds
                             gets the snapshot and the log after it instead of those records
                             (default: at least 100000 and at least a quarter of the persons held)
        Start-up loads the newest snapshot that verifies and replays the log after it. Without
        --customers and with an empty data directory, the embedded demo population is stored.
        SIGTERM or SIGINT: stop accepting, answer what was read, exit 0.
        Under systemd: a socket passed by socket activation (LISTEN_FDS, LISTEN_PID) is served
        instead of --socket; READY=1 and STOPPING=1 go to NOTIFY_SOCKET (contrib/systemd/).
        """

    static let get = """
        Usage: folkbok get IDENTITY [--customer ID] [--purpose P] [--contract C] [--profile P1|P2|P3|P4|P5] [--socket PATH]

        Prints one person readably. Session defaults: FOLKBOK_CUSTOMER / FOLKBOK_PURPOSE /
        FOLKBOK_CONTRACT, else the demo's SE2321000016-0001, care, normal.
        """

    static let stats = """
        Usage: folkbok stats [--open] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--by DIM,...]
                             [--granularity hour|day|month|year] [--csv]
                             [--customer ID] [--purpose P] [--contract C] [--socket PATH]

        Prints usage statistics as an aligned table: periods down, one column per combination of
        the --by values (e.g. --by method,outcome), lookups in the cells. --open reads the public
        statistics (stats.open, no session; small cells show "suppressed"); otherwise the
        session customer's own (stats.get). --csv prints period,<by>,lookups lines instead.
        Defaults: the 30 days ending today, daily.
        """

    static let statsExport = """
        Usage: folkbok stats export --kind aggregated|pseudonymised|identified [--out FILE]
                                    [--from D] [--to D] [--by DIM,...] [--granularity G]
                                    [--customer ID] [--purpose P] [--contract C] [--socket PATH]

        Creates an export of the session customer's statistics (stats.export), fetches its rows
        and writes them as CSV with a header to FILE (mode 0600) or stdout.
        """

    static let call = """
        Usage: folkbok call METHOD ['JSON-PARAMS'] [--customer ID] [--purpose P] [--contract C] [--socket PATH]

        Sends one request and prints the raw response line. A session is opened first (as the
        operator for admin.* and audit.* methods; none for ping and stats.open). Exit 1 on an error answer.
        """

    static let info = """
        Usage: folkbok info [--customer ID] [--socket PATH]

        Prints admin.info (needs an operator customer; default "operator").
        """

    static let importText = """
        Usage: folkbok import FILE... --region CODE [--mode full|delta] [--format ndjson|navet] [--customer ID] [--socket PATH]

        Asks the running server to import FILE (NDJSON, one full-view record a line, or a Navet
        notification file). Several FILEs are one import: the files of one Navet delivery (checked
        together, all or nothing), or NDJSON files read in the order given. `full` makes the import the
        region's whole population; `delta` (default) upserts. Without --format, a file whose first
        non-blank byte is `<` is Navet, else NDJSON. Shows progress on a terminal. The server runs
        the import in the background (Linux's idle scheduling policy), so its reads keep their
        share of the cores; FOLKBOK_IMPORT_PRIORITY=normal in the server's environment runs it at
        normal priority.
        """

    static let generate = """
        Usage: folkbok generate N [--p4] [--seed S] [--region CODE]
               folkbok generate N --format navet [--files K --out DIR] [--encoding UTF-8|ISO-8859-1] [--seed S] [--region CODE]

        Writes N synthetic person records as NDJSON to stdout; the same N and seed give the same bytes.
        --p4 adds to each record the P4 details (civil status, citizenships, birth place,
        immigration, relations, referral) its post in a Navet delivery of the same N and seed has.
        With --format navet, writes them as a Navet delivery (Navetavisering V1 XML, whole records
        with P4 parts): one file to stdout, or K files (1-100) sharing one BestallningsId as
        DIR/navet-1.xml ... DIR/navet-K.xml. --encoding picks the files' encoding (default UTF-8).
        """

    static let snapshot = """
        Usage: folkbok snapshot [--customer ID] [--socket PATH]
               folkbok snapshot verify FILE

        The first asks the running server to write a snapshot now (admin.snapshot). The second
        checks a snapshot file offline and prints its LSN, person count and format version.
        """

    static let restore = """
        Usage: folkbok restore --from SNAPSHOT --data DIR

        Prepares DIR for a new node: verifies SNAPSHOT, copies it, the log segments beside it and
        customers.json into DIR. Then start the node with `folkbok serve --data DIR`.
        """

    static func fail(_ message: String, usage: String) -> Never {
        FileOut.stderr.write("folkbok: \(message)\n\n\(usage)\n")
        exit(2)
    }
}

/// Unbuffered writes to a standard stream.
struct FileOut {
    let fd: Int32
    static let stdout = FileOut(fd: 1)
    static let stderr = FileOut(fd: 2)

    func write(_ text: String) { write(Array(text.utf8)) }

    func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            offset += n
        }
    }
}

/// Writes `folkbok: message` to standard error and exits (1 by default).
func die(_ message: String, code: Int32 = 1) -> Never {
    FileOut.stderr.write("folkbok: \(message)\n")
    exit(code)
}
