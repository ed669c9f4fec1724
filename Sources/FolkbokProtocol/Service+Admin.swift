import CFolkbokSys
import FolkbokEngine
import FolkbokJSON
import FolkbokModel
import Glibc

extension Service {
    func adminInfo(id: JSONValue, _ params: JSONObject, session: Session?) throws(RPCError) -> Outcome {
        _ = try Params(params, allowed: [])
        _ = try operatorSession(session)
        let engine = self.engine, gauges = self.gauges, clock = config.clock, imports = self.imports
        let persistence = self.persistence, replication = config.replication
        return .slow {
            let persons = await engine.count()
            let importing = imports.current
            return Reply.success(id: id) { w in
                w.raw("{\"persons\":")
                w.int(persons)
                w.raw(",\"shards\":")
                w.int(engine.shards.count)
                w.raw(",\"lsn\":")
                w.uint(engine.lsn)
                w.raw(",\"snapshotLsn\":")
                w.uint(persistence?.snapshotLSN ?? 0)
                w.raw(",\"walBytes\":")
                w.int(persistence?.walBytes ?? 0)
                w.raw(",\"rssBytes\":")
                w.int(residentBytes())
                w.raw(",\"uptimeSeconds\":")
                w.int(Int(max(0, clock() - gauges.startedAt)))
                w.raw(",\"connections\":")
                w.int(gauges.connections.load(ordering: .relaxed))
                w.raw(",\"readOnly\":")
                w.bool(engine.readOnlyReason != nil)
                w.raw(",\"readOnlyReason\":")
                w.stringOrNull(engine.readOnlyReason)
                if let p = importing {
                    w.raw(",\"import\":{\"bytesRead\":")
                    w.int(p.bytesRead)
                    w.raw(",\"totalBytes\":")
                    w.int(p.totalBytes)
                    w.raw(",\"lines\":")
                    w.int(p.lines)
                    w.raw("}")
                }
                replication?.writeInfo(into: &w)
                w.raw("}")
            }
        }
    }

    func adminImport(id: JSONValue, _ params: JSONObject, session: Session?) throws(RPCError) -> Outcome {
        let p = try Params(params, allowed: ["path", "paths", "region", "mode", "format"])
        let paths = try importPaths(p)
        let region = try p.requiredString("region")
        guard region.utf8.count == 2, region.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw .invalidParams("\"region\" must be a two-digit region code")
        }
        let mode = try p.choice("mode", ImportMode.self) ?? .delta
        let givenFormat = try p.choice("format", ImportFormat.self)
        _ = try operatorSession(session)
        let importer = Importer(
            engine: engine, tracker: imports, today: today, bulkLoadChanges: config.bulkImportChanges)
        let events = config.events
        return .slow {
            let started = monotonicSeconds()
            do {
                // -32602 for a missing or irregular file, before its format is looked at
                _ = try ImportFiles.sizes(paths)
                let format = try givenFormat ?? ImportFormat.detect(path: paths[0])
                var report: ImportReport
                switch format {
                case .ndjson: report = try await importer.run(paths: paths, region: region, mode: mode)
                case .navet:
                    report = try await NavetImporter(importer: importer).run(paths: paths, region: region, mode: mode)
                }
                fb_release_free_memory()  // the import's batches are all freed by now
                report.format = format
                if let refusal = await self.replicaRefusal(after: report.lsn) { throw refusal }
                events(
                    .imported(
                        region: region, mode: mode.rawValue, inserted: report.inserted, updated: report.updated,
                        removed: report.removed, rejected: report.rejected,
                        firstErrors: report.errors.prefix(3).map { ($0.number, $0.reason) },
                        seconds: monotonicSeconds() - started))
                return Reply.success(id: id) { w in report.write(into: &w) }
            } catch let refusal as ImportRefusal {
                events(.importFailed(region: region, code: -32602))
                return refusal.reply(id: id)
            } catch let error as RPCError {
                events(.importFailed(region: region, code: error.code))
                return Reply.error(id: id, error)
            } catch {
                events(.importFailed(region: region, code: RPCError.internalError.code))
                return Reply.error(id: id, .internalError)
            }
        }
    }

    /// `path` (one file) or `paths` (1–100 files of one delivery), each absolute.
    private func importPaths(_ p: Params) throws(RPCError) -> [String] {
        let paths: [String]
        switch (try p.string("path"), p.value("paths")) {
        case (let path?, nil):
            paths = [path]
        case (nil, let value?):
            guard let items = value.arrayValue, (1...100).contains(items.count) else {
                throw .invalidParams("\"paths\" must be an array of 1 to 100 paths")
            }
            var strings: [String] = []
            for item in items {
                guard let s = item.stringValue else {
                    throw .invalidParams("\"paths\" must be an array of 1 to 100 paths")
                }
                strings.append(s)
            }
            paths = strings
        case (nil, nil):
            throw .invalidParams("\"path\" or \"paths\" is required")
        case (_?, _?):
            throw .invalidParams("give \"path\" or \"paths\", not both")
        }
        for path in paths where !path.hasPrefix("/") {
            throw .invalidParams(
                paths.count == 1 ? "\"path\" must be an absolute path" : "\"paths\" must hold absolute paths")
        }
        return paths
    }

    func adminSnapshot(id: JSONValue, _ params: JSONObject, session: Session?) throws(RPCError) -> Outcome {
        _ = try Params(params, allowed: [])
        _ = try operatorSession(session)
        guard let persistence else { throw .unavailable("this server keeps no data on disk") }
        return .slow {
            let started = monotonicSeconds()
            do {
                let info = try await persistence.snapshot()
                if let statistics = self.statistics, let audit = self.audit {
                    try await statistics.writeSnapshot(audit: audit)
                }
                let seconds = monotonicSeconds() - started
                self.config.events(.snapshotWritten(lsn: info.lsn, bytes: info.bytes, seconds: seconds))
                return Reply.success(id: id) { w in
                    w.raw("{\"lsn\":")
                    w.uint(info.lsn)
                    w.raw(",\"path\":")
                    w.string(absolutePath(info.path))
                    w.raw(",\"bytes\":")
                    w.int(info.bytes)
                    w.raw(",\"seconds\":")
                    w.double((seconds * 1000).rounded() / 1000)
                    w.raw("}")
                }
            } catch {
                self.config.events(.snapshotFailed(reason: "\(error)"))
                return Reply.error(id: id, .unavailable("the snapshot could not be written: \(error)"))
            }
        }
    }
}

/// `path` made absolute against the working directory.
func absolutePath(_ path: String) -> String {
    guard !path.hasPrefix("/") else { return path }
    var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX))
    guard getcwd(&buffer, buffer.count) != nil else { return path }
    let cwd = String(decoding: buffer.prefix { $0 != 0 }, as: UTF8.self)
    return cwd + "/" + (path.hasPrefix("./") ? String(path.dropFirst(2)) : path)
}

/// Seconds on the monotonic clock (for durations).
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Resident set size of this process, from /proc/self/statm.
func residentBytes() -> Int {
    let fd = open("/proc/self/statm", O_RDONLY)
    guard fd >= 0 else { return 0 }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 128)
    let n = read(fd, &buffer, buffer.count)
    guard n > 0 else { return 0 }
    let fields = buffer[0..<n].split(separator: UInt8(ascii: " "))
    guard fields.count > 1, let pages = Int(String(decoding: fields[1], as: UTF8.self)) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}
