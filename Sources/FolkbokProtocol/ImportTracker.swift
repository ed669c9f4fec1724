import FolkbokSync
import Synchronization

/// Progress of the import that is running, for `admin.info` and the command line's progress line.
final class ImportTracker: Sendable {
    struct Progress: Sendable {
        var path: String
        var bytesRead: Int
        var totalBytes: Int
        var lines: Int
        var startedAt: Double
    }

    private let state = Locked<Progress?>(nil)

    var current: Progress? { state.withLock { $0 } }

    /// Starts tracking; false if another import is already running (imports run one at a time).
    func begin(_ progress: Progress) -> Bool {
        state.withLock { current in
            guard current == nil else { return false }
            current = progress
            return true
        }
    }

    func update(bytesRead: Int, lines: Int) {
        state.withLock { current in
            current?.bytesRead = bytesRead
            current?.lines = lines
        }
    }

    /// Counts `bytes` more read (a Navet delivery is read twice: once checked, once applied).
    func add(bytes: Int) {
        state.withLock { current in current?.bytesRead += bytes }
    }

    func add(lines: Int) {
        state.withLock { current in current?.lines += lines }
    }

    func update(lines: Int) {
        state.withLock { current in current?.lines = lines }
    }

    func end() { state.withLock { $0 = nil } }
}
