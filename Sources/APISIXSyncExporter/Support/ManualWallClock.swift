import Synchronization

/// A clock for tests: time stands still until ``advance(by:)`` or ``advance(to:)`` moves it, which resumes every
/// sleeper whose deadline has passed. ``waitForSleepers(count:)`` lets a test wait until the code under test has gone
/// back to sleep (it finished what the new time made due), so tests await events instead of sleeping in real time.
public final class ManualWallClock: WallClock, Sendable {
    private struct Sleeper {
        let deadline: Timestamp
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct Waiter {
        let count: Int
        let continuation: CheckedContinuation<Void, any Error>
    }

    private enum Registration {
        case cancelled
        case due
        case waiting(satisfied: [CheckedContinuation<Void, any Error>])
    }

    private struct State {
        var now: Timestamp
        var nextID = 0
        var sleepers: [Int: Sleeper] = [:]
        var waiters: [Int: Waiter] = [:]
        /// Sleeps and waits that started but have not registered yet, and those of them cancelled meanwhile.
        var registering: Set<Int> = []
        var cancelledEarly: Set<Int> = []

        mutating func newID() -> Int {
            nextID += 1
            registering.insert(nextID)
            return nextID
        }

        /// Removes and returns the waiters satisfied by the current number of sleepers.
        mutating func satisfiedWaiters() -> [CheckedContinuation<Void, any Error>] {
            let count = sleepers.count
            let satisfied = waiters.filter { count >= $0.value.count }
            for id in satisfied.keys { waiters[id] = nil }
            return satisfied.values.map(\.continuation)
        }

        /// Marks `id` cancelled if it has not registered yet.
        mutating func cancel(_ id: Int) {
            if registering.contains(id) { cancelledEarly.insert(id) }
        }
    }

    private let state: Mutex<State>

    /// A clock that reads `now` until it is advanced.
    public init(now: Timestamp = 0) {
        state = Mutex(State(now: now))
    }

    public func now() -> Timestamp { state.withLock { $0.now } }

    /// Returns once the clock has been advanced to `deadline` or beyond (at once if it is there already); throws
    /// `CancellationError` when the task is cancelled, before or while it waits.
    public func sleep(until deadline: Timestamp) async throws {
        try Task.checkCancellation()
        let id = state.withLock { $0.newID() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let registration = state.withLock { state -> Registration in
                    state.registering.remove(id)
                    if state.cancelledEarly.remove(id) != nil { return .cancelled }
                    if deadline <= state.now { return .due }
                    state.sleepers[id] = Sleeper(deadline: deadline, continuation: continuation)
                    return .waiting(satisfied: state.satisfiedWaiters())
                }
                switch registration {
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .due: continuation.resume()
                case .waiting(let satisfied): for waiter in satisfied { waiter.resume() }
                }
            }
        } onCancel: {
            let sleeper = state.withLock { state in
                state.cancel(id)
                return state.sleepers.removeValue(forKey: id)
            }
            sleeper?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Moves the time forward by `seconds` and resumes the sleepers whose deadline has passed, earliest first.
    public func advance(by seconds: Double) {
        advance { $0 + seconds }
    }

    /// Moves the time to `time` (never backwards) and resumes the sleepers whose deadline has passed, earliest first.
    public func advance(to time: Timestamp) {
        advance { _ in time }
    }

    private func advance(_ newTime: (Timestamp) -> Timestamp) {
        let due = state.withLock { state in
            state.now = max(state.now, newTime(state.now))
            let now = state.now
            let due = state.sleepers.filter { $0.value.deadline <= now }
            for id in due.keys { state.sleepers[id] = nil }
            return due.values.sorted { $0.deadline < $1.deadline }.map(\.continuation)
        }
        for continuation in due { continuation.resume() }
    }

    /// How many tasks sleep on this clock now.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// The earliest deadline of the tasks sleeping now, if any: the time ``advance(to:)`` needs to wake one.
    public var nextDeadline: Timestamp? { state.withLock { $0.sleepers.values.map(\.deadline).min() } }

    /// Returns once at least `count` tasks sleep on this clock (at once if they do already); throws
    /// `CancellationError` when the task is cancelled (a test that hit its time limit), before or while it waits.
    public func waitForSleepers(count: Int) async throws {
        try Task.checkCancellation()
        let id = state.withLock { $0.newID() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let registration = state.withLock { state -> Registration in
                    state.registering.remove(id)
                    if state.cancelledEarly.remove(id) != nil { return .cancelled }
                    if state.sleepers.count >= count { return .due }
                    state.waiters[id] = Waiter(count: count, continuation: continuation)
                    return .waiting(satisfied: [])
                }
                switch registration {
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .due: continuation.resume()
                case .waiting: break
                }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                state.cancel(id)
                return state.waiters.removeValue(forKey: id)
            }
            waiter?.continuation.resume(throwing: CancellationError())
        }
    }
}
