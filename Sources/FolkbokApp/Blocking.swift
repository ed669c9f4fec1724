import Dispatch

/// Runs async work to completion from synchronous start-up or shutdown code (outside the event loop).
func blockingResult<T: Sendable, E: Error>(_ body: @escaping @Sendable () async throws(E) -> T) -> Result<T, E> {
    let box = ResultBox<T, E>()
    let done = DispatchSemaphore(value: 0)
    Task {
        do throws(E) { box.value = .success(try await body()) } catch { box.value = .failure(error) }
        done.signal()
    }
    done.wait()
    return box.value!
}

private final class ResultBox<T, E: Error>: @unchecked Sendable {
    // @unchecked: written once by the task before `done` is signalled, read after.
    var value: Result<T, E>?
}
