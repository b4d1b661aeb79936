import Logging

/// Follows the APISIX pods behind the EndpointSlices an ``EndpointSliceWatcher`` reports (those of the APISIX Service,
/// selected by label) and publishes the targets they make: one per ready, non-terminating pod, named after the pod.
public actor APISIXPodDiscovery: EndpointSliceConsumer {
    let settings: APISIXPodDiscoverySettings
    let view: APISIXView?
    let tracker: SyncTracker
    let logger: Logger
    private var slices: [String: EndpointSlice] = [:]
    /// The list in progress, folded page by page.
    private var listed: [String: EndpointSlice] = [:]
    private var published: [String: APISIXTarget]?
    private let updates: AsyncStream<[String: APISIXTarget]>.Continuation

    /// - Parameter updates: receives the whole target set after every change to it (the first after the first list).
    public init(
        settings: APISIXPodDiscoverySettings,
        view: APISIXView?,
        tracker: SyncTracker,
        logger: Logger,
        updates: AsyncStream<[String: APISIXTarget]>.Continuation
    ) {
        self.settings = settings
        self.view = view
        self.tracker = tracker
        self.logger = logger
        self.updates = updates
    }

    /// The targets the pods of `slices` make. Pods whose endpoint is not ready (`ready: false`) or terminating are
    /// left out, as the ingress controller leaves them out of its pushes; a pod without the needed port is skipped.
    public static func targets(
        from slices: some Sequence<EndpointSlice>,
        settings: APISIXPodDiscoverySettings,
        view: APISIXView?
    ) -> [String: APISIXTarget] {
        var targets: [String: APISIXTarget] = [:]
        for slice in slices.sorted(by: { $0.sliceKey < $1.sliceKey }) {
            let adminPort = settings.adminPort.resolve(in: slice)
            let controlPort = settings.controlPort?.resolve(in: slice)
            for endpoint in slice.endpoints {
                guard endpoint.conditions?.ready != false, endpoint.conditions?.terminating != true,
                    let address = endpoint.addresses.first, !address.isEmpty
                else { continue }
                let host = address.contains(":") ? "[\(address)]" : address
                let name = endpoint.targetRef?.name.flatMap { $0.isEmpty ? nil : $0 } ?? address
                guard targets[name] == nil,
                    let target = APISIXTarget(
                        adminURL: adminPort.map { "\(settings.adminScheme)://\(host):\($0)" },
                        controlURL: controlPort.map { "http://\(host):\($0)" },
                        view: view,
                        name: name
                    )
                else { continue }
                targets[name] = target
            }
        }
        return targets
    }

    private func publish() {
        let targets = Self.targets(from: slices.values, settings: settings, view: view)
        guard targets != published else { return }
        if targets.isEmpty, published?.isEmpty != true {
            logger.warning(
                "no APISIX pods found",
                metadata: [
                    "namespace": .string(settings.namespace), "selector": .string(settings.selector),
                    "admin_port": "\(settings.adminPort)",
                ]
            )
        }
        published = targets
        updates.yield(targets)
    }

    // MARK: EndpointSliceConsumer

    /// Instances are named after their pods.
    public nonisolated var readsTargetReferences: Bool { true }

    public func kubernetesListPage(_ slices: [EndpointSlice], namespace: String?, first: Bool) {
        if first { listed = [:] }
        for slice in slices { listed[slice.sliceKey] = slice }
    }

    public func kubernetesListCompleted(namespace: String?, at time: Timestamp, earliestStart: Timestamp?) async {
        slices = listed
        listed = [:]
        publish()
        await tracker.podDiscoverySucceeded(at: time)
    }

    public func kubernetesEvent(_ event: WatchEvent, at time: Timestamp, startKnown: Bool, earliestStart: Timestamp?) {
        switch event {
        case .added(let slice), .modified(let slice): slices[slice.sliceKey] = slice
        case .deleted(let slice): slices[slice.sliceKey] = nil
        case .bookmark, .error: return
        }
        publish()
    }

    public func kubernetesSucceeded(at time: Timestamp) async {
        await tracker.podDiscoverySucceeded(at: time)
    }

    public func kubernetesWatchOpened(at time: Timestamp, replayUntil: Timestamp?) async {
        await tracker.podDiscoverySucceeded(at: time)
    }

    public func kubernetesWatchClosed() {}

    /// Failures of the pod watch count as Kubernetes source errors (same API server), without touching the
    /// measured Services' timing.
    public func kubernetesFailed(_ failure: SourceFailure, at time: Timestamp) async {
        await tracker.podDiscoveryFailed(failure, at: time)
    }
}
