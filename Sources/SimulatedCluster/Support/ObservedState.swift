import Synchronization

/// A lock-protected value whose changes can be awaited.
///
/// Every mutation through ``withLock(_:)`` re-evaluates the registered wait conditions and resumes the waiters
/// whose condition now holds, so tests synchronise on state changes instead of sleeping.
final class ObservedState<Value: Sendable>: Sendable {
    private struct Waiter: Sendable {
        let condition: @Sendable (Value) -> Bool
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct Storage: Sendable {
        var value: Value
        var waiters: [Int: Waiter] = [:]
        var nextWaiterID = 0
    }

    private enum Registration {
        case satisfied
        case cancelled
        case registered
    }

    private let storage: Mutex<Storage>

    init(_ value: Value) {
        self.storage = Mutex(Storage(value: value))
    }

    /// Reads or mutates the value under the lock, then wakes the waiters whose condition now holds.
    func withLock<Result: Sendable>(_ body: (inout Value) -> Result) -> Result {
        let (result, ready) = self.storage.withLock { storage in
            let result = body(&storage.value)
            var ready: [CheckedContinuation<Void, any Error>] = []
            for (id, waiter) in storage.waiters where waiter.condition(storage.value) {
                ready.append(waiter.continuation)
                storage.waiters[id] = nil
            }
            return (result, ready)
        }
        for continuation in ready {
            continuation.resume()
        }
        return result
    }

    /// Suspends until `condition` holds for the value.
    ///
    /// - Parameters:
    ///   - timeout: How long to wait before throwing ``SimulatedClusterError/timedOut(waitingFor:)``.
    ///   - description: What is being awaited, used in the timeout error.
    ///   - condition: The condition to wait for. It is evaluated under the lock and must not block.
    /// - Throws: ``SimulatedClusterError/timedOut(waitingFor:)`` or `CancellationError`.
    func wait(
        timeout: Duration,
        for description: String,
        until condition: @escaping @Sendable (Value) -> Bool
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await self.wait(until: condition)
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw SimulatedClusterError.timedOut(waitingFor: description)
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private func wait(until condition: @escaping @Sendable (Value) -> Bool) async throws {
        let id = self.storage.withLock { storage in
            storage.nextWaiterID += 1
            return storage.nextWaiterID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let registration = self.storage.withLock { storage -> Registration in
                    if condition(storage.value) {
                        return .satisfied
                    }
                    if Task.isCancelled {
                        return .cancelled
                    }
                    storage.waiters[id] = Waiter(condition: condition, continuation: continuation)
                    return .registered
                }
                switch registration {
                case .satisfied:
                    continuation.resume()
                case .cancelled:
                    continuation.resume(throwing: CancellationError())
                case .registered:
                    break
                }
            }
        } onCancel: {
            let waiter = self.storage.withLock { storage in
                storage.waiters.removeValue(forKey: id)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }
}
