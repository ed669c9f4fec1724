import CFolkbokSys
import FolkbokEngine
import FolkbokJSON
import FolkbokModel
import FolkbokStorage
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
    /// Persons inserted, updated and removed.
    var changes: Int { inserted + updated + removed }
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

/// Reads NDJSON files of full-view records and commits them in large batches while the server
/// keeps answering. Each line is applied whole or rejected whole; a rejected line never stops
/// the rest.
///
/// The lines are decoded on their own threads, one per core at a lower priority
/// (`ParallelLineDecoder`), while this task applies what they decoded in file order, in
/// batches of `bulkBatch` records: each batch one log write and one sync, planned against
/// the records as stored and, for a person twice in a batch, against the earlier line.
struct Importer: Sendable {
    let engine: Engine
    let tracker: ImportTracker
    let today: CivilDate
    /// Changes from which the import is a bulk load (`ServiceConfig.bulkImportChanges`).
    var bulkLoadChanges = 65_536
    /// Records per commit of a Navet import and per removal batch of a `full` cut.
    var batchSize = 4096
    /// Records per commit of an NDJSON import.
    var bulkBatch = 32_768
    /// Threads decoding NDJSON lines.
    var workers = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    static let maxLine = 1 << 20

    /// Imports the NDJSON files at `paths` in order, as one import (one report, one `full` cut).
    func run(paths: [String], region: String, mode: ImportMode) async throws -> ImportReport {
        let sizes = try ImportFiles.sizes(paths)
        guard tracker.begin(.init(path: paths[0], bytesRead: 0, totalBytes: sizes.reduce(0, +), lines: 0, startedAt: 0))
        else {
            throw RPCError.unavailable("another import is running")
        }
        defer { tracker.end() }
        fb_bulk_allocations(1)
        defer { fb_bulk_allocations(0) }

        var report = ImportReport()
        report.files = paths.count
        var pending = PendingBatch()
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
        fb_bulk_allocations(0)  // the store's arrays rebuilt below are mappings of their own again
        if mode == .full {
            // Reserve identities are folkbok's own, not Navet's: a region's file never removes them.
            let gone = await engine.keys(inRegion: region).filter { $0.raw >> 62 == 0 && !seen.contains($0.raw) }
            for start in stride(from: 0, to: gone.count, by: batchSize) {
                var removals = gone[start..<min(gone.count, start + batchSize)].map { Mutation.remove($0) }
                try await flush(&removals, into: &report)
            }
        }
        if report.changes >= bulkLoadChanges {
            // The one rebuild of a bulk load: spare capacity released, the store's large arrays
            // moved out of the heap arenas the batches filled (so `fb_release_free_memory`
            // below gives the arenas back), search indexes exact. A smaller import kept the
            // indexes current batch by batch, as every write does.
            await engine.trimAndRebuildSearchIndex(movingOutOfHeapArenas: true)
        }
        fb_release_free_memory()  // hand the importer's garbage back to the system
        report.lsn = engine.lsn
    }

    /// Reads one file's lines into `pending`, flushing full batches; answers its line count.
    private func read(
        path: String, file: Int?, region: String, mode: ImportMode, bytesBefore: Int, linesBefore: Int,
        pending: inout PendingBatch, seen: inout Set<UInt64>, report: inout ImportReport
    ) async throws -> Int {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw RPCError.invalidParams("\"path\" cannot be opened for reading") }
        // The decoding threads also encode each record's log payload (its version set when
        // the batch is numbered), which the single committing task did before.
        let decoder = ParallelLineDecoder<Mutation, PreEncodedUpsert>(
            fd: fd, maxLine: Importer.maxLine, workers: workers
        ) {
            [today] bytes, mutations, encodings in
            // Bound as a `var` from the result, the record is moved, not copied, and moved
            // again into the chunk.
            switch Self.decode(bytes, today: today) {
            case .success(var record):
                record.region = region
                let key = IdentityKey(record.id)!
                encodings.append(PreEncodedUpsert(key, record))
                mutations.append(.upsert(key, record))
                return nil
            case .failure(let rejection):
                return rejection
            }
        }
        defer { decoder.cancel() }
        var lines = 0, bytesRead = 0
        while var chunk = try await decoder.next() {
            BackgroundPriority.enterIfBackgroundTask()  // the task may have moved to another thread
            for rejection in chunk.rejections { reject(&report, line: rejection.line, file: file, rejection.reason) }
            if mode == .full {
                // `seen` also tells whether a person is twice in the batch (or was in an earlier one).
                for mutation in chunk.items where !seen.insert(mutation.key.raw).inserted { pending.repeats = true }
            } else {
                pending.repeats = nil
            }
            if pending.mutations.isEmpty {
                // The batch's first chunk is taken over, not copied (a `Mutation` is large).
                swap(&pending.mutations, &chunk.items)
                swap(&pending.encoded, &chunk.extras)
                pending.mutations.reserveCapacity(bulkBatch + pending.mutations.count)
                pending.encoded.reserveCapacity(bulkBatch + pending.encoded.count)
            } else {
                pending.mutations.append(contentsOf: chunk.items)
                pending.encoded.append(contentsOf: chunk.extras)
            }
            lines += chunk.lines
            bytesRead += chunk.bytes
            tracker.update(bytesRead: bytesBefore + bytesRead, lines: linesBefore + lines)
            if pending.mutations.count >= bulkBatch { try await flush(&pending, into: &report) }
        }
        return lines
    }

    /// A line's record or why it is rejected.
    typealias LineOutcome = Result<PersonRecord, RecordDecoder.Rejection>

    /// A line's record: `RecordLineDecoder` straight from the bytes, and the `JSONValue` path
    /// (the model, which words the rejections) for any line the fast path leaves to it.
    static func decode(_ bytes: ArraySlice<UInt8>, today: CivilDate) -> LineOutcome {
        if let record = bytes.withUnsafeBufferPointer({ RecordLineDecoder.decode($0, today: today) }) {
            return .success(record)
        }
        return Self.decodeByModel(bytes, today: today)
    }

    /// The `JSONValue` path: `JSONParser` then `RecordDecoder`.
    static func decodeByModel(_ bytes: ArraySlice<UInt8>, today: CivilDate) -> LineOutcome {
        guard let value = try? bytes.withUnsafeBytes({ raw throws(JSONParseError) in try JSONParser.parse(raw) }) else {
            return .failure(.init(reason: "the line is not valid JSON"))
        }
        return Result { () throws(RecordDecoder.Rejection) in try RecordDecoder.decode(value, today: today) }
    }

    /// Upserts that keep what folkbok itself holds about a person and Navet's file does not
    /// carry: reserve links always, contact details unless the line brings its own, and the P5
    /// history, with an entry for each name or address part the line replaces (dated `today`,
    /// the UTC date of the change). A person twice in the batch is merged with its earlier
    /// line, as if that one had been applied first. Runs inside `Engine.modify`, so the logged
    /// record holds the history and replay gives the same.
    static func keepingLocalData(_ batch: [Mutation], _ existing: StoredRecords, today: CivilDate) -> [Mutation] {
        var out: [Mutation] = []
        out.reserveCapacity(batch.count)
        var earlier: [UInt64: Int] = [:]
        earlier.reserveCapacity(batch.count)
        for (mutation, stored) in zip(batch, existing) {
            var old = stored
            if let at = earlier.updateValue(out.count, forKey: mutation.key.raw) {
                if case .upsert(_, let newer) = out[at] { old = newer } else { old = nil }
            }
            guard case .upsert(let key, var record) = mutation, let old else {
                out.append(mutation)
                continue
            }
            if record.reserveLinks.isEmpty { record.reserveLinks = old.reserveLinks }
            if record.contact == nil { record.contact = old.contact }
            out.append(.upsert(key, record.replacing(old, on: today)))
        }
        return out
    }

    private func reject(_ report: inout ImportReport, line: Int, file: Int?, _ reason: String) {
        report.rejected += 1
        if report.errors.count < 100 { report.errors.append(.init(number: line, file: file, reason: reason)) }
    }

    /// Commits `pending` (emptied) as one batch in bulk (`Engine.modifyInBulk`: the engine's
    /// write lock held until it is applied). A first import's batch, nobody stored and nobody
    /// twice, is committed as it is, with the payloads the decoding threads encoded; any other
    /// is planned by `keepingLocalData` and encoded by the engine.
    func flush(_ pending: inout PendingBatch, into report: inout ImportReport) async throws(RPCError) {
        guard !pending.mutations.isEmpty else { return }
        BackgroundPriority.enterIfBackgroundTask()
        var mutations: [Mutation] = [], encoded: [PreEncodedUpsert] = []
        swap(&mutations, &pending.mutations)
        swap(&encoded, &pending.encoded)
        let repeats = pending.repeats
        pending.repeats = false
        let today = self.today
        do {
            let summary = try await engine.modifyInBulk(consume mutations, encoded: consume encoded) {
                existing, mutations in
                if !existing.anyStored {
                    if repeats == false { return nil }
                    var keys = Set<UInt64>(minimumCapacity: mutations.count)
                    if mutations.allSatisfy({ keys.insert($0.key.raw).inserted }) { return nil }
                }
                return Self.keepingLocalData(mutations, existing, today: today)
            }
            let changedBefore = report.changes
            add(summary, to: &report)
            await deferSearchIndexIfBulk(changedBefore: changedBefore, report)
        } catch EngineError.readOnly(let reason) {
            throw .unavailable(reason)
        } catch {
            throw .internalError
        }
    }

    /// Once an import's changes reach `bulkLoadChanges`, `finish` will rebuild the search
    /// index: from then on the batches leave it alone (`Engine.deferSearchIndex`; about a
    /// sixth of a first import's CPU went to keeping it current, then to rebuilding it).
    /// Searches meanwhile stay exact (each shard builds its index first), and an import that
    /// fails midway leaves the index to the first search.
    func deferSearchIndexIfBulk(changedBefore: Int, _ report: ImportReport) async {
        if changedBefore < bulkLoadChanges && report.changes >= bulkLoadChanges { await engine.deferSearchIndex() }
    }

    /// Commits `pending` (emptied) as one small batch (`Engine.modify`).
    func flush(_ pending: inout [Mutation], into report: inout ImportReport) async throws(RPCError) {
        guard !pending.isEmpty else { return }
        let batch = pending, today = self.today
        pending = []
        do {
            let summary = try await engine.modify(reading: batch.map(\.key)) {
                Self.keepingLocalData(batch, StoredRecords($0), today: today)
            }
            add(summary, to: &report)
        } catch EngineError.readOnly(let reason) {
            throw .unavailable(reason)
        } catch {
            throw .internalError
        }
    }

    private func add(_ summary: CommitSummary, to report: inout ImportReport) {
        report.inserted += summary.inserted
        report.updated += summary.updated
        report.removed += summary.removed
        report.lsn = summary.lsn
    }
}

/// An NDJSON import's batch being gathered: the mutations and their log payloads encoded
/// ahead (`encoded[i]` is `mutations[i]`'s).
struct PendingBatch {
    var mutations: [Mutation] = []
    var encoded: [PreEncodedUpsert] = []
    /// False when no person in the batch was met before in the import (so none is twice in
    /// it), true when one may be, nil when not known (a `delta` import keeps no `seen` set).
    var repeats: Bool? = false
}
