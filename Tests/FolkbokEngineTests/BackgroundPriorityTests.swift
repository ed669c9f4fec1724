import FolkbokEngine
import Foundation
import Glibc
import XCTest

/// `BackgroundPriority`: the threads of an import run under the idle scheduling policy, and
/// nothing else is moved there.
final class BackgroundPriorityTests: XCTestCase {
    /// Linux's `SCHED_IDLE` (not exported to Swift by Glibc's headers).
    static let idlePolicy: Int32 = 5

    /// The calling thread's scheduling policy.
    static func policy() -> Int32 { sched_getscheduler(0) }

    /// The policy of the thread a task of `priority` runs on, once it asked to enter the
    /// background if its task is a background one.
    static func policyOfTask(_ priority: TaskPriority) async -> Int32 {
        await Task.detached(priority: priority) { () -> Int32 in
            BackgroundPriority.enterIfBackgroundTask()
            return policy()
        }.value
    }

    /// Runs `body` on a new thread of its own and answers what it returned.
    static func onNewThread<T: Sendable>(_ body: @escaping @Sendable () -> T) -> T {
        let result = ThreadResult<T>()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            result.value = body()
            done.signal()
        }
        done.wait()
        return result.value!
    }

    func test_enterOnThisThread_putsTheThreadUnderTheIdlePolicy_andOnlyThatThread() {
        let (before, after, again) = Self.onNewThread { () -> (Int32, Int32, Int32) in
            let before = Self.policy()
            BackgroundPriority.enterOnThisThread()
            let after = Self.policy()
            BackgroundPriority.enterOnThisThread()  // a second call changes nothing
            return (before, after, Self.policy())
        }
        XCTAssertEqual(before, SCHED_OTHER)
        XCTAssertEqual(after, Self.idlePolicy)
        XCTAssertEqual(again, Self.idlePolicy)
        XCTAssertEqual(Self.onNewThread { Self.policy() }, SCHED_OTHER, "a fresh thread is normal")
        XCTAssertEqual(Self.policy(), SCHED_OTHER, "the test's own thread is untouched")
    }

    func test_enterIfBackgroundTask_movesOnlyBackgroundTasksThreads() async {
        let normal = await Self.policyOfTask(.userInitiated)
        XCTAssertEqual(normal, SCHED_OTHER, "a user-initiated task's thread stays normal")
        let background = await Self.policyOfTask(.background)
        XCTAssertEqual(background, Self.idlePolicy)
    }
}

/// A value handed from one thread to another (the semaphore orders the accesses).
private final class ThreadResult<T>: @unchecked Sendable {
    var value: T?
}
