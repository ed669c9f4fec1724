import CFolkbokSys
import Glibc

/// How background work (an import: its decoding threads, its own task, and the shards applying
/// its batches) gives the cores to the event loops and the log writers.
///
/// Guarantees: a thread put in the background runs under Linux's idle scheduling policy
/// (`SCHED_IDLE`), or at nice 10 where the kernel refuses that policy. Under the idle policy
/// it runs only on a core no normal thread wants, and a waking event loop preempts it at once,
/// so an import takes the idle cores and never the readers' share. A thread stays there (an
/// unprivileged thread cannot leave the policy): only threads that run nothing but background
/// work are put there, the import's own threads and Dispatch's background-priority threads,
/// which on Linux serve only tasks of `.background` priority (`admin.import`'s). With
/// `FOLKBOK_IMPORT_PRIORITY=normal` in the environment, nothing is lowered (for a host that
/// serves no reads meanwhile).
public enum BackgroundPriority {
    /// False when `FOLKBOK_IMPORT_PRIORITY=normal`.
    public static let yields: Bool = {
        guard let value = getenv("FOLKBOK_IMPORT_PRIORITY") else { return true }
        return String(cString: value) != "normal"
    }()

    /// Puts the calling thread in the background (once; later calls cost a thread-local read).
    public static func enterOnThisThread() {
        if yields { _ = fb_idle_thread_priority() }
    }

    /// As `enterOnThisThread`, when the current task was started at `.background` priority
    /// (its base priority: a task awaited from a higher priority is still background work):
    /// called where an import's task, or a shard working for it, may have moved to another
    /// thread.
    public static func enterIfBackgroundTask() {
        if isBackgroundTask { _ = fb_idle_thread_priority() }
    }

    /// Whether the current task is background work (its base priority `.background`) that
    /// yields to the loops.
    public static var isBackgroundTask: Bool {
        guard yields, let base = Task.basePriority else { return false }
        return base <= .background
    }
}
