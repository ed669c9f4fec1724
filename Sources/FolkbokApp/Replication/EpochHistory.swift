import FolkbokStorage
import Glibc

/// Which epoch of the register's history this node is in and where each epoch began: epoch 1
/// starts at LSN 1, and each promotion starts a new epoch at the LSN after the last one the
/// promoted node had applied.
///
/// Guarantees: epochs ascend and so do their first LSNs; the file
/// (`<data>/replication.epoch`, mode 0600) is written atomically (temporary file, fsync,
/// rename) with a magic, a version and a CRC32C, and a damaged file refuses to load.
struct EpochHistory: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        let epoch: UInt64
        let firstLSN: UInt64
    }

    private(set) var entries: [Entry]

    static let initial = EpochHistory(entries: [Entry(epoch: 1, firstLSN: 1)])
    static let fileName = "replication.epoch"
    /// "FBEPOCH\0".
    static let magic: [UInt8] = [0x46, 0x42, 0x45, 0x50, 0x4F, 0x43, 0x48, 0x00]
    static let version: UInt32 = 1

    init(entries: [Entry]) { self.entries = entries }

    var current: UInt64 { entries.last!.epoch }

    /// The history after promoting a node whose last applied LSN is `lastLSN`.
    func promoted(lastLSN: UInt64) -> EpochHistory {
        EpochHistory(entries: entries + [Entry(epoch: current + 1, firstLSN: lastLSN + 1)])
    }

    /// The last LSN this history shares with a node whose own epoch is `epoch` (older than
    /// this history's current one): the LSN before the first epoch after it began.
    func splitLSN(after epoch: UInt64) -> UInt64? {
        entries.first(where: { $0.epoch > epoch }).map { $0.firstLSN - 1 }
    }

    /// Why a node at (`localEpoch`, `localLSN`) must not follow a primary with this history at
    /// `primaryLSN`; nil when it may (its records are all part of this history).
    func refusal(localEpoch: UInt64, localLSN: UInt64, primaryLSN: UInt64) -> String? {
        if current == localEpoch {
            guard localLSN > primaryLSN else { return nil }
            return
                "refusing to follow: local epoch \(localEpoch) LSN \(localLSN), primary epoch \(current) at LSN \(primaryLSN) (the primary has lost records this node holds)"
        }
        if current < localEpoch {
            return
                "refusing to follow: local epoch \(localEpoch) LSN \(localLSN), primary epoch \(current) LSN \(primaryLSN) is an older history"
        }
        let split = splitLSN(after: localEpoch) ?? 0
        guard localLSN > split else { return nil }
        return
            "refusing to follow: local epoch \(localEpoch) LSN \(localLSN), primary epoch \(current) split at LSN \(split)"
    }

    // MARK: - Bytes

    var bytes: [UInt8] {
        var out = Self.magic
        out.appendLittleEndian(Self.version)
        out.appendLittleEndian(UInt32(entries.count))
        for entry in entries {
            out.appendLittleEndian(entry.epoch)
            out.appendLittleEndian(entry.firstLSN)
        }
        out.appendLittleEndian(CRC32C.checksum(out))
        return out
    }

    /// The history in `bytes` (the file, or a welcome frame's body); nil when damaged.
    init?(bytes: [UInt8]) {
        guard bytes.count >= 20, Array(bytes[0..<8]) == Self.magic,
            CRC32C.checksum(Array(bytes[0..<(bytes.count - 4)])) == bytes.littleEndianU32(at: bytes.count - 4),
            bytes.littleEndianU32(at: 8) == Self.version
        else { return nil }
        let count = Int(bytes.littleEndianU32(at: 12))
        guard count >= 1, bytes.count == 20 + 16 * count else { return nil }
        var entries: [Entry] = []
        for i in 0..<count {
            let entry = Entry(
                epoch: bytes.littleEndianU64(at: 16 + 16 * i), firstLSN: bytes.littleEndianU64(at: 24 + 16 * i))
            if let last = entries.last, entry.epoch <= last.epoch || entry.firstLSN < last.firstLSN { return nil }
            entries.append(entry)
        }
        self.entries = entries
    }

    /// The history kept in `directory`; `initial` when there is no file yet.
    static func load(directory: String, fs: any FileSystem) throws -> EpochHistory {
        let path = directory + "/" + fileName
        let file: [UInt8]
        do { file = try fs.readWholeFile(path) } catch {
            if error.errno == ENOENT { return .initial }
            throw error
        }
        guard let history = EpochHistory(bytes: file) else {
            throw AppStartError(
                "\(path) is damaged (bad magic, version or checksum); restore it or start the node with --resync")
        }
        return history
    }

    func save(directory: String, fs: any FileSystem) throws {
        let bytes = self.bytes
        try fs.replaceAtomically(directory + "/" + Self.fileName) { (fd) throws(FileError) in
            try bytes.withUnsafeBytes { raw in Result { () throws(FileError) in try fs.pwrite(fd, raw, at: 0) } }.get()
        }
    }
}

extension [UInt8] {
    mutating func appendLittleEndian(_ v: UInt32) {
        Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) }
    }
    mutating func appendLittleEndian(_ v: UInt64) {
        Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) }
    }

    func littleEndianU32(at i: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(self[i + $1]) << (8 * UInt32($1)) }
    }

    func littleEndianU64(at i: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(self[i + $1]) << (8 * UInt64($1)) }
    }
}
