import FolkbokStorage
import FolkbokSync
import Glibc
import Synchronization

/// The statistics exports of every customer, as files under one directory: `<id>.export`
/// (the `StatsExport` record) and `<id>.rows` (magic `0x89 'F' 'B' 'E' 'R' '\r' '\n' 0x1A`,
/// version u16 LE, then one JSON row per line), both mode 0600.
///
/// Guarantees: an export is listed only once both files are complete and durable; rows are
/// checked against the recorded size and CRC32C before any is handed out; an expired export's
/// rows are deleted (`expire`) and it answers `.expired` from then on, also after a restart;
/// a customer never sees another customer's export (it is `.unknown` to them).
public final class ExportStore: Sendable {
    let directory: String
    let fs: any FileSystem
    let exports: Locked<[String: StatsExport]>

    static let rowsMagic: [UInt8] = [0x89, 0x46, 0x42, 0x45, 0x52, 0x0D, 0x0A, 0x1A]
    static let rowsHeaderSize = 10

    /// What an export id names for a customer.
    public enum Lookup: Sendable, Equatable {
        case found(StatsExport)
        case expired
        case unknown
    }

    init(directory: String, fs: any FileSystem, exports: [String: StatsExport]) {
        self.directory = directory
        self.fs = fs
        self.exports = Locked(exports)
    }

    /// Opens (creating) the export directory and reads every export record; damaged records and
    /// unfinished files are reported and removed (an export nobody was told about).
    public static func open(directory: String, fs: any FileSystem, report: (String) -> Void = { _ in }) throws
        -> ExportStore
    {
        try fs.makeDirectory(directory)
        var found: [String: StatsExport] = [:]
        let names = try fs.list(directory)
        for name in names where name.hasSuffix(".export") {
            do {
                let export = try StatsExport(decoding: try fs.readWholeFile(directory + "/" + name))
                found[export.id] = export
            } catch {
                report("statistics export record \(name) is damaged (\(error)); removed")
                try? fs.unlink(directory + "/" + name)
            }
        }
        for name in names where name.hasSuffix(".rows") || name.hasSuffix(".tmp") {
            let id = String(name.prefix { $0 != "." })
            if name.hasSuffix(".tmp") || found[id].map({ $0.expired }) ?? true {
                try? fs.unlink(directory + "/" + name)
            }
        }
        return ExportStore(directory: directory, fs: fs, exports: found)
    }

    /// Makes an export: `write` adds its rows; the export is listed once they are durable.
    public func create(
        customer: String, kind: StatsExportKind, now: Int64, ttlMicros: Int64,
        write: (inout ExportRowSink) throws -> Void
    ) throws -> StatsExport {
        let id = Self.newID()
        let rowsPath = path(id, ".rows")
        let fd = try fs.open(rowsPath, flags: O_WRONLY | O_CREAT | O_EXCL, mode: FileModes.file)
        var sink = ExportRowSink(fd: fd, fs: fs)
        do {
            try sink.start()
            try write(&sink)
            try sink.finish()
        } catch {
            fs.close(fd)
            try? fs.unlink(rowsPath)
            throw error
        }
        fs.close(fd)
        let export = StatsExport(
            id: id, customer: customer, kind: kind, rows: sink.rows, bytes: sink.bytes, created: now,
            expiresAt: now + ttlMicros, crc: sink.crc)
        do { try writeRecord(export) } catch {
            try? fs.unlink(rowsPath)
            throw error
        }
        exports.withLock { $0[id] = export }
        return export
    }

    /// What `id` is for `customer` at `now` (an export past its expiry is `.expired` even
    /// before `expire` has deleted it).
    public func lookup(_ id: String, customer: String, now: Int64) -> Lookup {
        guard let export = exports.withLock({ $0[id] }), export.customer == customer else { return .unknown }
        return export.expired || export.expiresAt <= now ? .expired : .found(export)
    }

    /// The customer's unexpired exports, oldest first.
    public func list(customer: String, now: Int64) -> [StatsExport] {
        exports.withLock { $0.values.filter { $0.customer == customer && !$0.expired && $0.expiresAt > now } }
            .sorted { ($0.created, $0.id) < ($1.created, $1.id) }
    }

    /// Deletes the customer's export `id` at once (files and record); what it was before.
    public func delete(_ id: String, customer: String, now: Int64) throws -> Lookup {
        let found = lookup(id, customer: customer, now: now)
        guard found != .unknown else { return found }
        exports.withLock { $0[id] = nil }
        try? fs.unlink(path(id, ".rows"))
        try fs.unlink(path(id, ".export"))
        try fs.syncDirectory(directory)
        return found
    }

    /// Deletes the rows of every export expired at `now`, keeping a record that it expired.
    /// Returns how many expired now.
    @discardableResult
    public func expire(now: Int64) throws -> Int {
        let due = exports.withLock { $0.values.filter { !$0.expired && $0.expiresAt <= now } }
        for var export in due {
            try? fs.unlink(path(export.id, ".rows"))
            export.expired = true
            try writeRecord(export)
            exports.withLock { $0[export.id] = export }
        }
        if !due.isEmpty { try fs.syncDirectory(directory) }
        return due.count
    }

    /// Checks the export's rows file against its recorded size and CRC32C.
    /// - Throws: `StatsLedgerError` when the file is missing, short or altered.
    /// - Complexity: reads the whole file once.
    public func verify(_ export: StatsExport) throws {
        let reader = try ExportRowsReader(path: path(export.id, ".rows"), export: export, fs: fs)
        var crc: UInt32 = 0
        while let piece = try reader.next() { crc = CRC32C.checksum(piece, seed: crc) }
        guard crc == export.crc else { throw reader.damaged }
    }

    /// A reader of the export's rows, in pieces of whole lines (call `verify` first).
    public func reader(_ export: StatsExport) throws -> ExportRowsReader {
        try ExportRowsReader(path: path(export.id, ".rows"), export: export, fs: fs)
    }

    private func writeRecord(_ export: StatsExport) throws {
        let bytes = export.encoded()
        try fs.replaceAtomically(path(export.id, ".export")) { fd throws(FileError) in
            try bytes.withUnsafeBytes { raw in Result { () throws(FileError) in try fs.pwrite(fd, raw, at: 0) } }.get()
        }
    }

    func path(_ id: String, _ suffix: String) -> String { directory + "/" + id + suffix }

    /// 24 random lowercase hex digits.
    static func newID() -> String {
        var random = SystemRandomNumberGenerator()
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for _ in 0..<24 { out.append(digits[Int(random.next() as UInt8) & 15]) }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Where an export's rows are written: buffered, counted and checksummed as they go.
public struct ExportRowSink {
    let fd: Int32
    let fs: any FileSystem
    var buffer: [UInt8] = []
    var offset = Int64(ExportStore.rowsHeaderSize)
    public private(set) var rows = 0
    private(set) var bytes: UInt64 = 0
    private(set) var crc: UInt32 = 0

    init(fd: Int32, fs: any FileSystem) {
        self.fd = fd
        self.fs = fs
        buffer.reserveCapacity(1 << 20)
    }

    mutating func start() throws {
        var header = ExportStore.rowsMagic
        header.appendLE(1, bytes: 2)
        try header.withUnsafeBytes { try fs.pwrite(fd, $0, at: 0) }
    }

    /// Adds one row: `body` appends its bytes (one JSON object, without a line end).
    public mutating func append(_ body: (inout [UInt8]) -> Void) throws {
        body(&buffer)
        buffer.append(UInt8(ascii: "\n"))
        rows += 1
        if buffer.count >= 1 << 20 { try flush() }
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        try buffer.withUnsafeBytes { raw in
            try fs.pwrite(fd, raw, at: offset)
            crc = CRC32C.checksum(raw, seed: crc)
        }
        offset += Int64(buffer.count)
        bytes += UInt64(buffer.count)
        buffer.removeAll(keepingCapacity: true)
    }

    mutating func finish() throws {
        try flush()
        try fs.fsync(fd)
    }
}

/// Reads an export's rows file after its header, in pieces that each end at a line end.
///
/// Guarantees: the pieces concatenated are exactly the file's rows; a file shorter or longer
/// than recorded, or with a wrong header, throws `damaged`.
public final class ExportRowsReader {
    let fd: Int32
    let fs: any FileSystem
    let size: Int64
    var offset = Int64(ExportStore.rowsHeaderSize)
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    var carry: [UInt8] = []
    let damaged: StatsLedgerError

    init(path: String, export: StatsExport, fs: any FileSystem) throws {
        damaged = StatsLedgerError(description: "the rows of export \(export.id) are damaged")
        fd = try fs.open(path, flags: O_RDONLY, mode: 0)
        self.fs = fs
        size = (try? fs.fileSize(fd)) ?? -1
        var header = [UInt8](repeating: 0, count: ExportStore.rowsHeaderSize)
        _ = try header.withUnsafeMutableBytes { try fs.pread(fd, into: $0, at: 0) }
        guard size == Int64(ExportStore.rowsHeaderSize) + Int64(export.bytes),
            header.prefix(8).elementsEqual(ExportStore.rowsMagic),
            header.loadLE(at: 8, bytes: 2) == 1
        else {
            fs.close(fd)
            throw damaged
        }
    }

    deinit { fs.close(fd) }

    /// The next piece of whole lines, nil at the end.
    public func next() throws -> [UInt8]? {
        while offset < size {
            let n = try buffer.withUnsafeMutableBytes { try fs.pread(fd, into: $0, at: offset) }
            guard n > 0 else { throw damaged }
            offset += Int64(n)
            let end = (buffer[..<n].lastIndex(of: 0x0A) ?? -1) + 1
            var piece = carry
            piece += buffer[..<end]
            carry = Array(buffer[end..<n])
            if !piece.isEmpty { return piece }
        }
        defer { carry = [] }
        return carry.isEmpty ? nil : carry
    }
}
