extension SnapshotFile {
    /// The snapshot files in `directory`, newest (highest LSN) first; temporary files excluded.
    public static func list(directory: String, fs: any FileSystem) throws(FileError) -> [String] {
        try fs.list(directory)
            .compactMap { name in SnapshotFormat.lsn(ofFileNamed: name).map { ($0, directory + "/" + name) } }
            .sorted { $0.0 > $1.0 }
            .map(\.1)
    }

    /// Deletes all but the newest `keep` snapshots and any leftover temporary files; returns
    /// the deleted paths. Do not run it while a snapshot is being written.
    @discardableResult
    public static func prune(directory: String, keep: Int, fs: any FileSystem) throws(FileError) -> [String] {
        let old = try list(directory: directory, fs: fs).dropFirst(max(0, keep))
        let temporary = try fs.list(directory)
            .filter { $0.hasPrefix("snapshot-") && $0.hasSuffix(SnapshotFormat.suffix + ".tmp") }
            .map { directory + "/" + $0 }
        let victims = Array(old) + temporary
        for path in victims { try fs.unlink(path) }
        if !victims.isEmpty { try fs.syncDirectory(directory) }
        return victims
    }
}
