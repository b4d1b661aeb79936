/// Everything ``FakeKubernetesAPI`` keeps behind its lock: the store, the open watches, the runtime settings,
/// pending injected failures and the statistics. All watch fan-out happens under the lock, so every watch sees
/// the changes in resource-version order, and a bookmark never claims a version whose events it has not sent.
struct KubernetesClusterState: Sendable {
    /// An injected failure for the next list/watch requests.
    struct PendingFailure: Sendable {
        var remaining: Int
        let status: Int
        let retryAfterSeconds: Int?
    }

    private struct Subscription: Sendable {
        let plan: WatchPlan
        let continuation: AsyncStream<WatchSignal>.Continuation
        /// Whether a `Table` watch has sent its column definitions (only the first event carries them).
        var sentColumns = false
    }

    /// How open watches are ended by ``endAllWatches(_:)``.
    enum WatchEnding: Sendable {
        /// End the stream cleanly, as at a timeout.
        case clean
        /// Send an `ERROR` event with a 410 `Status`, then end the stream.
        case expired
        /// Drop the connection without the terminating chunk.
        case abort
    }

    /// The objects and their history.
    var store: KubernetesStore
    /// The runtime settings.
    var settings: FakeKubernetesAPI.Configuration
    /// The counters.
    var statistics = FakeKubernetesAPI.Statistics()
    /// Failures to inject into the next list/watch requests.
    var pendingFailure: PendingFailure?
    /// The bound port, 0 while stopped.
    var port = 0
    /// How long list requests wait before they are answered (a slow API server), or `nil`.
    var listDelay: Duration?
    private var subscriptions: [Int: Subscription] = [:]
    private var openWatchIDs: Set<Int> = []
    private var nextWatchID = 0

    init(settings: FakeKubernetesAPI.Configuration) {
        self.settings = settings
        self.store = KubernetesStore(
            initialResourceVersion: settings.initialResourceVersion,
            historyLimit: settings.historyLimit
        )
    }

    // MARK: Mutations

    /// Creates or replaces `payload` and notifies the watches; returns the new resource version.
    mutating func apply(_ payload: StoredPayload) -> Int {
        let event = self.store.apply(payload)
        self.broadcast(event)
        return event.resourceVersion
    }

    /// Deletes `namespace/name` of `resource` and notifies the watches; returns the new resource version, or `nil`
    /// when there was no such object.
    mutating func delete(_ resource: KubernetesResource, namespace: String, name: String) -> Int? {
        guard let event = self.store.delete(resource, namespace: namespace, name: name) else { return nil }
        self.broadcast(event)
        return event.resourceVersion
    }

    private mutating func broadcast(_ event: StoredEvent) {
        var objectLine: [UInt8]?
        for id in self.subscriptions.keys {
            guard var subscription = self.subscriptions[id], subscription.plan.resource == event.resource,
                subscription.plan.filter.matches(event.object)
            else {
                continue
            }
            if case .after(let start) = subscription.plan.start, event.resourceVersion <= start {
                continue
            }
            let line: [UInt8]
            if subscription.plan.format == .object {
                line = objectLine ?? Self.eventLine(event)
                objectLine = line
            } else {
                line = Self.eventLine(
                    type: event.type,
                    object: event.object,
                    format: subscription.plan.format,
                    sentColumns: &subscription.sentColumns
                )
                self.subscriptions[id] = subscription
            }
            subscription.continuation.yield(.line(line))
        }
    }

    // MARK: Failure injection

    /// Consumes one injected failure, if any is pending.
    mutating func takeInjectedFailure() -> KubernetesStatus? {
        guard var pending = self.pendingFailure, pending.remaining > 0 else { return nil }
        pending.remaining -= 1
        self.pendingFailure = pending.remaining > 0 ? pending : nil
        self.statistics.injectedFailures += 1
        return .injected(code: pending.status, retryAfterSeconds: pending.retryAfterSeconds)
    }

    // MARK: Watches

    /// Registers a watch: queues its initial or replayed events (or the 410 error) on `continuation` and, unless
    /// it failed, subscribes it to future changes. Returns the watch's id and whether it is live.
    mutating func openWatch(
        _ plan: WatchPlan,
        continuation: AsyncStream<WatchSignal>.Continuation
    ) -> (id: Int, isLive: Bool) {
        self.nextWatchID += 1
        let id = self.nextWatchID
        self.openWatchIDs.insert(id)
        self.statistics.openWatches = self.openWatchIDs.count
        var sentColumns = false

        switch plan.start {
        case .after(let start) where !plan.sendInitialEvents:
            guard let events = self.store.events(after: start) else {
                let status = KubernetesStatus.tooOldResourceVersion(
                    requested: start,
                    oldest: self.store.compactedResourceVersion
                )
                continuation.yield(.line(KubernetesWire.eventLine(type: "ERROR", object: status.json)))
                continuation.yield(.end)
                continuation.finish()
                return (id, false)
            }
            for event in events where event.resource == plan.resource && plan.filter.matches(event.object) {
                let line = Self.eventLine(
                    type: event.type,
                    object: event.object,
                    format: plan.format,
                    sentColumns: &sentColumns
                )
                continuation.yield(.line(line))
            }
        case .after, .currentState:
            let current = self.store.sortedObjects(of: plan.resource).filter(plan.filter.matches)
            for stored in current {
                let line = Self.eventLine(type: .added, object: stored, format: plan.format, sentColumns: &sentColumns)
                continuation.yield(.line(line))
            }
            if plan.sendInitialEvents {
                continuation.yield(.line(self.bookmarkLine(plan, initialEventsEnd: true)))
            }
        }
        self.subscriptions[id] = Subscription(plan: plan, continuation: continuation, sentColumns: sentColumns)
        return (id, true)
    }

    /// Unregisters a watch whose stream has ended.
    mutating func closeWatch(id: Int) {
        self.subscriptions.removeValue(forKey: id)?.continuation.finish()
        self.openWatchIDs.remove(id)
        self.statistics.openWatches = self.openWatchIDs.count
    }

    /// Queues a BOOKMARK event on watch `id` if it is still live and asked for bookmarks.
    func sendBookmark(to id: Int) {
        guard let subscription = self.subscriptions[id], subscription.plan.allowBookmarks else { return }
        subscription.continuation.yield(.line(self.bookmarkLine(subscription.plan, initialEventsEnd: false)))
    }

    /// Ends watch `id` cleanly because its timeout elapsed, with a last bookmark if it asked for bookmarks.
    mutating func expireWatch(id: Int) {
        guard let subscription = self.subscriptions.removeValue(forKey: id) else { return }
        if subscription.plan.allowBookmarks {
            subscription.continuation.yield(.line(self.bookmarkLine(subscription.plan, initialEventsEnd: false)))
        }
        subscription.continuation.yield(.end)
        subscription.continuation.finish()
    }

    /// Ends every live watch the way `ending` says.
    mutating func endAllWatches(_ ending: WatchEnding) {
        for subscription in self.subscriptions.values {
            switch ending {
            case .clean:
                subscription.continuation.yield(.end)
            case .expired:
                let requested: Int
                if case .after(let start) = subscription.plan.start {
                    requested = start
                } else {
                    requested = self.store.compactedResourceVersion
                }
                let status = KubernetesStatus.tooOldResourceVersion(
                    requested: requested,
                    oldest: self.store.compactedResourceVersion
                )
                subscription.continuation.yield(.line(KubernetesWire.eventLine(type: "ERROR", object: status.json)))
                subscription.continuation.yield(.end)
            case .abort:
                subscription.continuation.yield(.abort)
            }
            subscription.continuation.finish()
        }
        self.subscriptions.removeAll()
    }

    /// Queues `line` (plus a newline) verbatim on every live watch, whatever it filters on.
    func broadcastRaw(_ line: [UInt8]) {
        for subscription in self.subscriptions.values {
            subscription.continuation.yield(.line(line + [UInt8(ascii: "\n")]))
        }
    }

    /// Applies `slice`, but the live watches get only the first half of its event line before their connections
    /// are dropped; the event stays in the history, so a watch resuming from before it receives it whole.
    mutating func applyCuttingWatches(_ slice: FakeEndpointSlice) -> Int {
        let event = self.store.apply(.endpointSlice(slice))
        let line = Self.eventLine(event)
        for subscription in self.subscriptions.values {
            if subscription.plan.resource == event.resource, subscription.plan.filter.matches(event.object) {
                subscription.continuation.yield(.line(Array(line.prefix(line.count / 2))))
            }
            subscription.continuation.yield(.abort)
            subscription.continuation.finish()
        }
        self.subscriptions.removeAll()
        return event.resourceVersion
    }

    private func bookmarkLine(_ plan: WatchPlan, initialEventsEnd: Bool) -> [UInt8] {
        var resourceVersion = self.store.resourceVersion
        if case .after(let start) = plan.start {
            resourceVersion = max(resourceVersion, start)
        }
        let object = KubernetesWire.bookmark(
            resource: plan.resource,
            resourceVersion: resourceVersion,
            initialEventsEnd: initialEventsEnd,
            goZeroValues: plan.bookmarksIncludeZeroValueFields
        )
        return KubernetesWire.eventLine(type: "BOOKMARK", object: object)
    }

    /// The event line for `object` in `format`; a `Table` carries the column definitions only while
    /// `sentColumns` is false, which it then sets.
    private static func eventLine(
        type: StoredEventType,
        object: StoredKubernetesObject,
        format: KubernetesObjectFormat,
        sentColumns: inout Bool
    ) -> [UInt8] {
        switch format {
        case .object:
            return KubernetesWire.eventLine(
                type: type.rawValue,
                object: KubernetesWire.object(object, includeTypeMeta: true)
            )
        case .table(let version):
            let table = KubernetesTable.single(object, version: version, includeColumns: !sentColumns)
            sentColumns = true
            return KubernetesWire.eventLine(type: type.rawValue, object: table)
        }
    }

    private static func eventLine(_ event: StoredEvent) -> [UInt8] {
        KubernetesWire.eventLine(
            type: event.type.rawValue,
            object: KubernetesWire.object(event.object, includeTypeMeta: true)
        )
    }
}
