import APISIXSyncExporter
import Synchronization

/// The change records the exporter under test reports to its observer; tests await them instead of polling
/// `/metrics`.
final class ChangeRecords: Sendable {
    private struct Waiter {
        let enough: @Sendable ([ChangeRecord]) -> Bool
        let continuation: CheckedContinuation<[ChangeRecord], Never>
    }

    private struct State {
        var records: [ChangeRecord] = []
        var waiters: [Int: Waiter] = [:]
        var nextWaiter = 0
        /// Waiters that timed out before they were registered.
        var abandoned: Set<Int> = []
    }

    private let state = Mutex(State())

    /// Everything reported so far, in order.
    var all: [ChangeRecord] { state.withLock { $0.records } }

    /// The observer to hand to the exporter.
    var observer: @Sendable (ChangeRecord) -> Void {
        { [self] record in
            let ready = state.withLock { state -> [(CheckedContinuation<[ChangeRecord], Never>, [ChangeRecord])] in
                state.records.append(record)
                let done = state.waiters.filter { $0.value.enough(state.records) }
                for id in done.keys { state.waiters[id] = nil }
                return done.values.map { ($0.continuation, state.records) }
            }
            for (continuation, records) in ready { continuation.resume(returning: records) }
        }
    }

    /// Waits until the records satisfy `enough`, at most `timeout` seconds; returns them.
    func wait(
        _ what: String,
        timeout: Double = 30,
        until enough: @escaping @Sendable ([ChangeRecord]) -> Bool
    ) async throws -> [ChangeRecord] {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return try await withThrowingTaskGroup(of: [ChangeRecord]?.self) { group in
            group.addTask {
                await withCheckedContinuation { continuation in
                    let done = self.state.withLock { state -> [ChangeRecord]? in
                        if enough(state.records) || state.abandoned.contains(id) { return state.records }
                        state.waiters[id] = Waiter(enough: enough, continuation: continuation)
                        return nil
                    }
                    if let done { continuation.resume(returning: done) }
                }
            }
            group.addTask {
                // A deadline for a test that would otherwise hang, not a synchronisation.
                try? await Task.sleep(for: .seconds(timeout))
                return nil
            }
            let first = try await group.next() ?? nil
            if let first {
                group.cancelAll()
                return first
            }
            // Timed out: release the waiter so that the first task ends too.
            let waiter = state.withLock { state in
                state.abandoned.insert(id)
                return state.waiters.removeValue(forKey: id)
            }
            waiter?.continuation.resume(returning: [])
            group.cancelAll()
            throw HarnessError("timed out waiting for \(what); records: \(all)")
        }
    }

    /// Waits until at least `count` records of `kind` ended with `outcome`; returns those.
    func wait(
        for count: Int,
        _ kind: ChangeKind = .remove,
        _ outcome: ChangeOutcome,
        timeout: Double = 30
    ) async throws -> [ChangeRecord] {
        let records = try await wait("\(count) \(kind.rawValue) \(outcome.rawValue)", timeout: timeout) { records in
            records.filter { $0.kind == kind && $0.outcome == outcome }.count >= count
        }
        return records.filter { $0.kind == kind && $0.outcome == outcome }
    }
}
