import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Lists and then watches one collection of objects other than EndpointSlices (pods, ReplicaSets) and reports to
/// closures. The same rules as ``EndpointSliceWatcher``: bookmarks, resume from the last resourceVersion, a relist at
/// once after the first 410, capped exponential backoff otherwise. Events in the first ``replayWindow`` after a slow
/// or failed reconnect may be replays of the gap and are reported as not `live`.
///
/// A 403 ends the watcher: the caller decides what the feature does without it (``Handlers/forbidden``).
public struct KubernetesObjectWatcher<Object: Sendable & Equatable>: Service, CustomStringConvertible {
    /// Where a watcher reports.
    public struct Handlers: Sendable {
        /// One page of a list as it arrives; `first` starts a new list (what an earlier, failed list delivered is
        /// void).
        public var listPage: @Sendable (_ objects: [Object], _ first: Bool) async -> Void
        /// The pages delivered since the last `first` page make a complete list (first list or relist).
        public var listed: @Sendable (Timestamp) async -> Void
        /// One event; `live` is false for events that may be replays of a gap.
        public var event: @Sendable (KubernetesObjectEvent<Object>, Timestamp, Bool) async -> Void
        /// A list or watch succeeded (a list, a stream opened, a bookmark).
        public var succeeded: @Sendable (Timestamp) async -> Void
        /// A list or watch request failed; the watcher retries.
        public var failed: @Sendable (SourceFailure, Timestamp) async -> Void
        /// The API server forbids listing or watching: the watcher has stopped.
        public var forbidden: @Sendable (SourceFailure, Timestamp) async -> Void

        public init(
            listPage: @escaping @Sendable (_ objects: [Object], _ first: Bool) async -> Void,
            listed: @escaping @Sendable (Timestamp) async -> Void,
            event: @escaping @Sendable (KubernetesObjectEvent<Object>, Timestamp, Bool) async -> Void,
            succeeded: @escaping @Sendable (Timestamp) async -> Void,
            failed: @escaping @Sendable (SourceFailure, Timestamp) async -> Void,
            forbidden: @escaping @Sendable (SourceFailure, Timestamp) async -> Void
        ) {
            self.listPage = listPage
            self.listed = listed
            self.event = event
            self.succeeded = succeeded
            self.failed = failed
            self.forbidden = forbidden
        }
    }

    /// Reads one object of the collection from a list page or an event.
    typealias ObjectReader = @Sendable (inout JSONReader) throws(JSONReader.Failure) -> Object

    let client: KubernetesClient
    let resource: KubernetesResource
    let namespace: String?
    let readObject: ObjectReader
    let resourceVersionOf: @Sendable (Object) -> String?
    let handlers: Handlers
    let clock: any WallClock
    let logger: Logger

    public var description: String { "KubernetesObjectWatcher(\(resource), \(namespace ?? "all namespaces"))" }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await loop() }
        } catch is CancellationError {
            // Stopping is a normal end.
        }
    }

    private final class StreamState: Sendable {
        let values: Mutex<(resourceVersion: String, replayUntil: Timestamp)>
        init(resourceVersion: String) { values = Mutex((resourceVersion, 0)) }
    }

    private func loop() async throws {
        var resourceVersion: String?
        var retry = WatchRetry()
        var lastLive = clock.now()
        var endedWithError = false
        let readObject = self.readObject
        while !Task.isCancelled {
            do {
                if resourceVersion == nil {
                    let listedVersion = try await client.listPages(
                        path: resource.path(namespace: namespace),
                        what: resource.plural,
                        decode: { data throws in
                            try KubernetesObjectPage<Object>.decode(data) { reader throws(JSONReader.Failure) in
                                try readObject(&reader)
                            }
                        },
                        page: handlers.listPage
                    )
                    let now = clock.now()
                    await handlers.succeeded(now)
                    await handlers.listed(now)
                    resourceVersion = listedVersion
                    lastLive = clock.now()
                    endedWithError = false
                }
                let state = StreamState(resourceVersion: resourceVersion ?? "")
                let gapStart = lastLive
                let uncertain = endedWithError
                let handlers = self.handlers
                let clock = self.clock
                let resourceVersionOf = self.resourceVersionOf
                defer {
                    resourceVersion = state.values.withLock { $0.resourceVersion }
                    lastLive = clock.now()
                }
                try await client.watch(
                    path: resource.path(namespace: namespace),
                    resourceVersion: state.values.withLock { $0.resourceVersion },
                    timeoutSeconds: Int.random(in: 300...600),
                    opened: {
                        let now = clock.now()
                        if uncertain || now - gapStart > EndpointSliceWatcher.slowReconnect {
                            state.values.withLock { $0.replayUntil = now + EndpointSliceWatcher.replayWindow }
                        }
                        await handlers.succeeded(now)
                    },
                    handle: { line in
                        let received = clock.now()
                        let event: KubernetesObjectEvent<Object>
                        do {
                            event = try KubernetesObjectEvent<Object>.decode(line) {
                                reader throws(JSONReader.Failure) in
                                try readObject(&reader)
                            }
                        } catch {
                            throw SourceFailure(.badResponse, "\(error)")
                        }
                        switch event {
                        case .error(let status):
                            throw SourceFailure(watchError: status)
                        case .bookmark(let version):
                            state.values.withLock { $0.resourceVersion = version }
                            await handlers.succeeded(received)
                        case .added(let object), .modified(let object), .deleted(let object):
                            let live = state.values.withLock { values in
                                if let version = resourceVersionOf(object) { values.resourceVersion = version }
                                return received >= values.replayUntil
                            }
                            await handlers.event(event, received, live)
                        }
                    }
                )
                retry.succeeded()
                endedWithError = false
            } catch {
                if error is CancellationError || Task.isCancelled { throw CancellationError() }
                let failure = SourceFailure.classify(error)
                let now = clock.now()
                if failure.reason == .forbidden {
                    await handlers.forbidden(failure, now)
                    return
                }
                endedWithError = true
                await handlers.failed(failure, now)
                let step = retry.step(after: failure)
                if step.relist { resourceVersion = nil }
                if step.delay > 0 { try await clock.sleep(until: clock.now() + step.delay) }
            }
        }
    }
}
