import CFolkbokSys
import FolkbokEngine
import FolkbokJSON
import FolkbokModel
import Glibc

/// `full` makes a file the region's whole population; `delta` upserts.
public enum ImportMode: String, Sendable { case full, delta }

/// What an import did (docs/PROTOCOL.md's `admin.import` answer).
public struct ImportReport: Sendable {
    public var inserted = 0
    public var updated = 0
    public var removed = 0
    public var rejected = 0
    public var lsn: UInt64 = 0
    /// The files the import read (one delivery) and their format.
    public var files = 1
    public var format = ImportFormat.ndjson
    /// The first 100 rejections: for NDJSON the line (1-based, in its file; `file` is the file's
    /// place among `paths` from 1 when there are several), for Navet the post (1-based across
    /// the delivery); the reason is free of person data.
    public var errors: [ImportIssue] = []

    /// A rejected line or post.
    public struct ImportIssue: Sendable {
        public var number: Int
        public var file: Int? = nil
        public var reason: String
    }

    func write(into w: inout JSONWriter) {
        w.raw("{\"inserted\":")
        w.int(inserted)
        w.raw(",\"updated\":")
        w.int(updated)
        w.raw(",\"removed\":")
        w.int(removed)
        w.raw(",\"rejected\":")
        w.int(rejected)
        w.raw(",\"lsn\":")
        w.uint(lsn)
        w.raw(",\"files\":")
        w.int(files)
        w.raw(",\"format\":")
        w.string(format.rawValue)
        w.raw(",\"errors\":[")
        for (i, e) in errors.enumerated() {
            if i > 0 { w.raw(",") }
            w.raw(format == .navet ? "{\"post\":" : "{\"line\":")
            w.int(e.number)
            if let file = e.file {
                w.raw(",\"file\":")
                w.int(file)
            }
            w.raw(",\"reason\":")
            w.string(e.reason)
            w.raw("}")
        }
        w.raw("]}")
    }
}

/// Reads an NDJSON file of full-view records and commits it in batches while the server keeps
/// answering. Each line is applied whole or rejected whole; a rejected line never stops the rest.
struct Importer: Sendable {
    let engine: Engine
    let tracker: ImportTracker
    let today: CivilDate
    /// Changes from which the import is a bulk load (`ServiceConfig.bulkImportChanges`).
    var bulkLoadChanges = 65_536
    var batchSize = 4096
    static let maxLine = 1 << 20

    /// Imports the NDJSON files at `paths` in order, as one import (one report, one `full` cut).
    func run(paths: [String], region: String, mode: ImportMode) async throws -> ImportReport {
        let sizes = try ImportFiles.sizes(paths)
        guard tracker.begin(.init(path: paths[0], bytesRead: 0, totalBytes: sizes.reduce(0, +), lines: 0, startedAt: 0))
        else {
            throw RPCError.unavailable("another import is running")
        }
        defer { tracker.end() }

        var report = ImportReport()
        report.files = paths.count
        var pending: [Mutation] = []
        var seen = Set<UInt64>()
        var bytesBefore = 0, linesBefore = 0
        for (fileIndex, path) in paths.enumerated() {
            let lines = try await read(
                path: path, file: paths.count > 1 ? fileIndex + 1 : nil, region: region, mode: mode,
                bytesBefore: bytesBefore, linesBefore: linesBefore,
                pending: &pending, seen: &seen, report: &report)
            bytesBefore += sizes[fileIndex]
            linesBefore += lines
        }
        try await flush(&pending, into: &report)
        try await finish(region: region, mode: mode, seen: seen, report: &report)
        return report
    }

    /// The end of every import: under `full`, the region's persons not `seen` are removed (in
    /// batches); a bulk load's one search-index rebuild; the report's final `lsn`.
    func finish(region: String, mode: ImportMode, seen: Set<UInt64>, report: inout ImportReport) async throws {
        if mode == .full {
            // Reserve identities are folkbok's own, not Navet's: a region's file never removes them.
            let gone = await engine.keys(inRegion: region).filter { $0.raw >> 62 == 0 && !seen.contains($0.raw) }
            for start in stride(from: 0, to: gone.count, by: batchSize) {
                var removals = gone[start..<min(gone.count, start + batchSize)].map { Mutation.remove($0) }
                try await flush(&removals, into: &report)
            }
        }
        if report.inserted + report.updated + report.removed >= bulkLoadChanges {
            // The one rebuild of a bulk load: spare capacity released, search indexes exact. A
            // smaller import kept the indexes current batch by batch, as every write does.
            await engine.trimAndRebuildSearchIndex()
        }
        fb_release_free_memory()  // hand the importer's garbage back to the system
        report.lsn = engine.lsn
    }

    /// Reads one file's lines into `pending`, flushing full batches; answers its line count.
    private func read(
        path: String, file: Int?, region: String, mode: ImportMode, bytesBefore: Int, linesBefore: Int,
        pending: inout [Mutation], seen: inout Set<UInt64>, report: inout ImportReport
    ) async throws -> Int {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw RPCError.invalidParams("\"path\" cannot be opened for reading") }
        defer { close(fd) }
        var framer = LineFramer(maxLine: Importer.maxLine)
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var lineNumber = 0, bytesRead = 0
        var reachedEnd = false
        while !reachedEnd {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw RPCError.unavailable("reading the import file failed")
            }
            if n == 0 {
                reachedEnd = true
                framer.append([0x0A])  // a last line without a newline still counts
            } else {
                bytesRead += n
                chunk.withUnsafeBytes { framer.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            }
            while let frame = framer.next() {
                lineNumber += 1
                switch frame {
                case .tooLong:
                    reject(&report, line: lineNumber, file: file, "the line is longer than 1 MiB")
                case .line(let bytes):
                    if reachedEnd && bytes.isEmpty {
                        lineNumber -= 1
                        continue
                    }
                    if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                    switch decode(bytes) {
                    case .success(var record):
                        record.region = region
                        let key = IdentityKey(record.id)!
                        if mode == .full { seen.insert(key.raw) }
                        pending.append(.upsert(key, record))
                    case .failure(let rejection):
                        reject(&report, line: lineNumber, file: file, rejection.reason)
                    }
                }
                if pending.count >= batchSize { try await flush(&pending, into: &report) }
            }
            tracker.update(bytesRead: bytesBefore + bytesRead, lines: linesBefore + lineNumber)
        }
        return lineNumber
    }

    private func decode(_ bytes: [UInt8]) -> Result<PersonRecord, RecordDecoder.Rejection> {
        guard let value = try? JSONParser.parse(bytes) else {
            return .failure(.init(reason: "the line is not valid JSON"))
        }
        return Result { () throws(RecordDecoder.Rejection) in try RecordDecoder.decode(value, today: today) }
    }

    /// Upserts that keep what folkbok itself holds about a person and Navet's file does not
    /// carry: reserve links always, contact details unless the line brings its own, and the P5
    /// history, with an entry for each name or address part the line replaces (dated `today`,
    /// the UTC date of the change). Runs inside `Engine.modify`, so the logged record holds the
    /// history and replay gives the same.
    static func keepingLocalData(_ batch: [Mutation], _ existing: [PersonRecord?], today: CivilDate) -> [Mutation] {
        zip(batch, existing).map { mutation, old in
            guard case .upsert(let key, var record) = mutation, let old else { return mutation }
            if record.reserveLinks.isEmpty { record.reserveLinks = old.reserveLinks }
            if record.contact == nil { record.contact = old.contact }
            return .upsert(key, record.replacing(old, on: today))
        }
    }

    private func reject(_ report: inout ImportReport, line: Int, file: Int?, _ reason: String) {
        report.rejected += 1
        if report.errors.count < 100 { report.errors.append(.init(number: line, file: file, reason: reason)) }
    }

    func flush(_ pending: inout [Mutation], into report: inout ImportReport) async throws(RPCError) {
        guard !pending.isEmpty else { return }
        let summary: CommitSummary
        let batch = pending, today = self.today
        do {
            summary = try await engine.modify(reading: batch.map(\.key)) { existing in
                Self.keepingLocalData(batch, existing, today: today)
            }
        } catch EngineError.readOnly(let reason) {
            throw .unavailable(reason)
        } catch {
            throw .internalError
        }
        pending.removeAll(keepingCapacity: true)
        report.inserted += summary.inserted
        report.updated += summary.updated
        report.removed += summary.removed
        report.lsn = summary.lsn
    }
}
