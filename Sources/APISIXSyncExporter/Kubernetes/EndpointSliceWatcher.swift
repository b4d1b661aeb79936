import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Lists and then watches EndpointSlices in one scope (cluster-wide or one namespace, optionally narrowed by a label
/// selector) and feeds a consumer: the tracker, or APISIX pod discovery.
///
/// - The first list, and every relist after a 410, replace the scope's slices; differences found by a relist started
///   at an unknown time and record no sample.
/// - Watches ask for bookmarks and a random `timeoutSeconds` in 300-600, and resume from the last resourceVersion
///   seen. A normal end of the stream reconnects at once; errors reconnect with capped exponential backoff.
/// - Every event is stamped with the time its line was complete. Events that may be replays of the gap before a watch
///   opened (the first `replayWindow` of a watch after an error, or after a clean end or a list that left a gap longer
///   than `slowReconnect`) happened at an unknown time: they are marked as such.
public struct EndpointSliceWatcher: Service, CustomStringConvertible {
    let client: KubernetesClient
    let namespace: String?
    let labelSelector: String?
    let tracker: any EndpointSliceConsumer
    let clock: any WallClock
    let logger: Logger
    /// A reconnect slower than this makes the first events after it of unknown start.
    static let slowReconnect = 0.25
    /// How long after a slow reconnect events are considered replayed.
    static let replayWindow = 1.0

    public init(
        client: KubernetesClient,
        namespace: String?,
        labelSelector: String? = nil,
        consumer: any EndpointSliceConsumer,
        clock: any WallClock,
        logger: Logger
    ) {
        self.client = client
        self.namespace = namespace
        self.labelSelector = labelSelector
        self.tracker = consumer
        self.clock = clock
        self.logger = logger
    }

    /// Names the service in logs without its connection details.
    public var description: String {
        "EndpointSliceWatcher(\(namespace ?? "all namespaces")\(labelSelector.map { ", \($0)" } ?? ""))"
    }

    public func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await loop()
            }
        } catch is CancellationError {
            // Stopping (graceful shutdown or cancellation) is a normal end, not a failure of the service group.
        }
    }

    private final class StreamState: Sendable {
        struct Values {
            var resourceVersion: String
            var replayUntil: Timestamp = 0
            /// When the view was last known current: the last live line (event or bookmark) received, or the list.
            var lastKnown: Timestamp
        }
        let values: Mutex<Values>
        init(resourceVersion: String, lastKnown: Timestamp) {
            values = Mutex(Values(resourceVersion: resourceVersion, lastKnown: lastKnown))
        }
    }

    /// Lists the scope page by page into the consumer; returns the list's resourceVersion and how many slices it had.
    private func list() async throws(SourceFailure) -> (resourceVersion: String, count: Int) {
        let count = Mutex(0)
        let resourceVersion = try await client.listSlices(
            namespace: namespace,
            labelSelector: labelSelector,
            targetReferences: tracker.readsTargetReferences
        ) {
            slices,
            first in
            count.withLock { $0 += slices.count }
            await tracker.kubernetesListPage(slices, namespace: namespace, first: first)
        }
        return (resourceVersion, count.withLock { $0 })
    }

    private func loop() async throws {
        var resourceVersion: String?
        var retry = WatchRetry()
        var lastLive = clock.now()
        var endedWithError = false
        /// When the view was last known current (nil before the first list): the earliest a change found by a relist,
        /// or replayed after a gap, can have happened.
        var lastKnown: Timestamp?
        while !Task.isCancelled {
            do {
                if resourceVersion == nil {
                    let requested = clock.now()
                    let listed = try await list()
                    await tracker.kubernetesListCompleted(
                        namespace: namespace,
                        at: clock.now(),
                        earliestStart: lastKnown
                    )
                    resourceVersion = listed.resourceVersion
                    lastLive = clock.now()
                    lastKnown = requested  // the list's resourceVersion is a state at or after its request
                    endedWithError = false
                    logger.debug("listed EndpointSlices", metadata: ["count": "\(listed.count)"])
                }
                let state = StreamState(resourceVersion: resourceVersion ?? "", lastKnown: lastKnown ?? clock.now())
                let gapStart = lastLive
                // After an error the old stream may have been dead for a while before it failed: assume a gap.
                let uncertain = endedWithError
                let tracker = self.tracker
                let clock = self.clock
                let targetReferences = tracker.readsTargetReferences
                defer {
                    resourceVersion = state.values.withLock { $0.resourceVersion }
                    lastKnown = state.values.withLock { $0.lastKnown }
                    lastLive = clock.now()
                }
                try await client.watch(
                    namespace: namespace,
                    labelSelector: labelSelector,
                    resourceVersion: state.values.withLock { $0.resourceVersion },
                    timeoutSeconds: Int.random(in: 300...600),
                    opened: {
                        let now = clock.now()
                        let replayUntil: Timestamp? =
                            uncertain || now - gapStart > Self.slowReconnect ? now + Self.replayWindow : nil
                        if let replayUntil { state.values.withLock { $0.replayUntil = replayUntil } }
                        await tracker.kubernetesWatchOpened(at: now, replayUntil: replayUntil)
                    },
                    handle: { line in
                        let received = clock.now()
                        let event: WatchEvent
                        do {
                            event = try WatchEvent.decode(line, targetReferences: targetReferences)
                        } catch {
                            throw SourceFailure(.badResponse, "\(error)")
                        }
                        switch event {
                        case .error(let status):
                            throw SourceFailure(watchError: status)
                        case .bookmark(let version):
                            state.values.withLock { values in
                                values.resourceVersion = version
                                if received >= values.replayUntil { values.lastKnown = received }
                            }
                            await tracker.kubernetesSucceeded(at: received)
                        case .added(let slice), .modified(let slice), .deleted(let slice):
                            let (replayed, earliest) = state.values.withLock { values in
                                if let version = slice.metadata.resourceVersion { values.resourceVersion = version }
                                let replayed = received < values.replayUntil
                                // A live event: the view is current up to it. A replayed one happened somewhere in
                                // the gap, which began when the view was last known current.
                                if !replayed { values.lastKnown = received }
                                return (replayed, values.lastKnown)
                            }
                            await tracker.kubernetesEvent(
                                event,
                                at: received,
                                startKnown: !replayed,
                                earliestStart: replayed ? earliest : nil
                            )
                        }
                    }
                )
                retry.succeeded()
                endedWithError = false
            } catch {
                if error is CancellationError || Task.isCancelled { throw CancellationError() }
                let failure = SourceFailure.classify(error)
                let now = clock.now()
                endedWithError = true
                await tracker.kubernetesWatchClosed()
                await tracker.kubernetesFailed(failure, at: now)
                let step = retry.step(after: failure)
                if step.relist { resourceVersion = nil }  // 410: what changed meanwhile started in the gap
                if step.delay > 0 { try await clock.sleep(until: clock.now() + step.delay) }
            }
        }
    }
}
