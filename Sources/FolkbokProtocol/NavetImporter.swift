import CFolkbokSys
import FolkbokEngine
import FolkbokModel
import FolkbokNavet
import FolkbokXML
import Glibc

/// Imports one Navet delivery (docs/PROTOCOL.md "Navet notification files": `admin.import` with
/// `format` `navet`) in two passes over its files.
///
/// Guarantees:
/// - Pass one reads every file to its end (several files at once, one per core) and checks it
///   (well-formed, not cut short, as many `Folkbokforingspost` as `AntalPoster`; the posts are
///   passed over as XML, not read into values), then the
///   delivery (`NavetDelivery.order`), holding one post per file at a time; a failure is an
///   `ImportRefusal` (`malformed_file` with the line and file, or `incomplete_delivery`) and
///   nothing has been logged.
/// - Pass two reads the files again in `FilNr` order, maps each post and commits them in batches
///   of `bulkBatch` (`Engine.modifyInBulk`: one log write each), one batch committing while the
///   next is read (contact details and reserve
///   links kept, as `Importer` does); posts are numbered from 1 across the delivery. A post that
///   breaks a mapping rule, or a change for a person folkbok does not hold (`unknown_person`),
///   is rejected alone.
/// - Memory is one post per file being read plus two batches, whatever the delivery's size.
struct NavetImporter: Sendable {
    let importer: Importer

    var engine: Engine { importer.engine }
    var tracker: ImportTracker { importer.tracker }

    func run(paths: [String], region: String, mode: ImportMode) async throws -> ImportReport {
        let sizes = try ImportFiles.sizes(paths)
        guard
            tracker.begin(
                .init(path: paths[0], bytesRead: 0, totalBytes: 2 * sizes.reduce(0, +), lines: 0, startedAt: 0))
        else {
            throw RPCError.unavailable("another import is running")
        }
        defer { tracker.end() }
        fb_bulk_allocations(1)
        defer { fb_bulk_allocations(0) }

        let headers = try await checkAll(paths)
        let order: [Int]
        do { order = try NavetDelivery.order(headers) } catch {
            throw ImportRefusal(reason: error.reason, message: error.message)
        }
        tracker.update(lines: 0)

        var report = ImportReport()
        report.files = paths.count
        report.format = .navet
        var batch = Batch(capacity: importer.bulkBatch)
        var seen = Set<UInt64>()
        // Pass one counted the posts (each file's count checked against its AntalPoster): the
        // set is made once at its size instead of rehashed at every doubling.
        if mode == .full { seen.reserveCapacity(headers.reduce(0) { $0 + ($1.postCount ?? 0) }) }
        var postNumber = 0
        // One batch commits while the next is read and mapped; the next is planned only after
        // the one before it has been planned and logged, so posts apply in order.
        var committing: Task<Committed, any Error>?
        func settle(_ report: inout ImportReport) async throws {
            guard let task = committing else { return }
            committing = nil
            let done = try await task.value
            for post in done.unknown { reject(&report, post: post, "unknown_person") }
            let changedBefore = report.changes
            report.inserted += done.summary.inserted
            report.updated += done.summary.updated
            report.removed += done.summary.removed
            await importer.deferSearchIndexIfBulk(changedBefore: changedBefore, report)
        }
        func submit(_ report: inout ImportReport) async throws {
            try await settle(&report)
            guard !batch.posts.isEmpty else { return }
            let posts = Handover(batch.posts)
            batch = Batch(capacity: importer.bulkBatch)
            committing = Task { try await self.commit(posts.take(), region: region) }
            tracker.update(lines: postNumber)
            BackgroundPriority.enterIfBackgroundTask()  // reading goes on, perhaps on another thread
        }
        do {
            for index in order {
                BackgroundPriority.enterIfBackgroundTask()
                var reader = try open(paths[index])
                while true {
                    let post: NavetPost?
                    do { post = try reader.nextPost() } catch {
                        // Checked whole in pass one: the file changed under the import.
                        throw RPCError.unavailable("a file of the delivery changed while it was imported")
                    }
                    guard let post else { break }
                    postNumber += 1
                    let mapped: NavetMappedPost
                    do { mapped = try NavetMapping.map(post, today: importer.today) } catch {
                        reject(&report, post: postNumber, error.reason)
                        continue
                    }
                    let key = IdentityKey(mapped.record.id)!
                    if batch.keys.contains(key.raw) { try await submit(&report) }
                    if mode == .full { seen.insert(key.raw) }
                    batch.append(post: postNumber, key: key, consume mapped)
                    if batch.posts.count >= importer.bulkBatch { try await submit(&report) }
                }
            }
            try await submit(&report)
            try await settle(&report)
        } catch {
            _ = try? await committing?.value  // nothing left running when the import answers
            throw error
        }
        tracker.update(lines: postNumber)
        try await importer.finish(region: region, mode: mode, seen: seen, report: &report)
        report.errors.sort { $0.number < $1.number }
        return report
    }

    /// Pass one: every file checked, as many at a time as there are cores; the first failure in
    /// the order of `paths` is the one reported.
    private func checkAll(_ paths: [String]) async throws -> [NavetFileHeader] {
        let width = max(1, min(paths.count, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))))
        var results = [Result<NavetFileHeader, any Error>?](repeating: nil, count: paths.count)
        await withTaskGroup(of: (Int, Result<NavetFileHeader, any Error>).self) { group in
            var next = 0
            func start() {
                let i = next, path = paths[i]
                next += 1
                group.addTask { (i, Result { try self.check(path: path) }) }
            }
            while next < width { start() }
            while let (i, result) = await group.next() {
                results[i] = result
                if next < paths.count { start() }
            }
        }
        return try results.map { try $0!.get() }
    }

    /// Pass one for one file: read to the end, every check applied; its header.
    private func check(path: String) throws -> NavetFileHeader {
        var reader = try open(path)
        var posts = 0
        do {
            while try reader.skipPost() {
                posts += 1
                if posts & 4095 == 0 { tracker.add(lines: 4096) }
            }
        } catch {
            switch error.kind {
            case .unreadableFile: throw RPCError.unavailable("reading the import file failed")
            case .malformedFile, .incompleteDelivery:
                throw ImportRefusal(reason: error.reason, message: error.message, line: error.line, file: path)
            }
        }
        tracker.add(lines: posts & 4095)
        return reader.header
    }

    private func open(_ path: String) throws(RPCError) -> NavetFileReader {
        do {
            return NavetFileReader(xml: XMLReader(source: try CountingSource(path: path, tracker: tracker)))
        } catch {
            throw .invalidParams("a file of \"paths\" cannot be opened for reading")
        }
    }

    /// What one batch's commit did: its summary and the posts rejected `unknown_person`.
    struct Committed: Sendable {
        var summary: CommitSummary
        var unknown: [Int]
    }

    /// Commits one batch: each post merged with the record as stored when the batch is planned.
    private func commit(_ posts: consuming [Batch.Entry], region: String) async throws -> Committed {
        BackgroundPriority.enterIfBackgroundTask()
        var unknown: [Int] = []
        let summary: CommitSummary
        let today = importer.today
        var posts = posts  // the batch's only reference (`Handover`): changed in place below
        let keys = posts.map(\.key)
        do {
            summary = try await engine.modifyInBulk(reading: keys) { stored in
                var mutations: [Mutation] = []
                mutations.reserveCapacity(posts.count)
                for (i, old) in stored.enumerated() {
                    // Taken out of the batch (its only holder), where iterating the batch copied
                    // every post (a retain and release of each of its strings).
                    guard let mapped = posts[i].mapped.take() else { preconditionFailure("a batch is planned once") }
                    if let record = NavetRecordMerge.record(mapped, stored: old, region: region) {
                        // The old name, addresses and municipality go to the P5 history.
                        mutations.append(.upsert(posts[i].key, record.replacing(old, on: today)))
                    } else {
                        unknown.append(posts[i].post)
                    }
                }
                return mutations
            }
        } catch EngineError.readOnly(let reason) {
            throw RPCError.unavailable(reason)
        } catch {
            throw RPCError.internalError
        }
        return Committed(summary: summary, unknown: unknown)
    }

    private func reject(_ report: inout ImportReport, post: Int, _ reason: String) {
        report.rejected += 1
        if report.errors.count < 100 { report.errors.append(.init(number: post, reason: reason)) }
    }

    /// Mapped posts waiting for their commit; `keys` so a person twice in a delivery is planned
    /// against its earlier post's result (the batch is committed first).
    struct Batch {
        struct Entry: Sendable {
            var post: Int
            var key: IdentityKey
            /// Nil once the commit has taken it.
            var mapped: NavetMappedPost?
        }

        var posts: [Entry] = []
        var keys = Set<UInt64>()

        init(capacity: Int) {
            posts.reserveCapacity(capacity)
            keys.reserveCapacity(capacity)
        }

        mutating func append(post: Int, key: IdentityKey, _ mapped: consuming NavetMappedPost) {
            posts.append(Entry(post: post, key: key, mapped: mapped))
            keys.insert(key.raw)
        }
    }

    /// A value handed to a task that takes it once: `take` moves it out, so the taker holds its
    /// only reference (a batch it then changes in place is not copied first).
    final class Handover<Value: Sendable>: @unchecked Sendable {
        private var value: Value?
        init(_ value: consuming Value) { self.value = value }
        /// The value; once only.
        func take() -> Value {
            guard let value = value.take() else { preconditionFailure("taken twice") }
            return value
        }
    }

    /// A file read for the XML reader that counts its bytes into the import's progress.
    final class CountingSource: XMLByteSource {
        private let file: XMLFileSource
        private let tracker: ImportTracker

        init(path: String, tracker: ImportTracker) throws(XMLError) {
            file = try XMLFileSource(path: path)
            self.tracker = tracker
        }

        func read(into buffer: UnsafeMutableRawBufferPointer) throws(XMLError) -> Int {
            let n = try file.read(into: buffer)
            tracker.add(bytes: n)
            return n
        }
    }
}
