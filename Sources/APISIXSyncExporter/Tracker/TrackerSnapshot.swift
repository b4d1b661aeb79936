/// A copy of what the tracker knows at one instant, taken inside the actor; the gauges, the status page and
/// `/api/v1/state` are built from it outside the actor, so rendering never holds up the sources.
struct TrackerSnapshot: Sendable {
    /// How much to copy: gauges need counts, the status page also the windows, `/api/v1/state` everything.
    enum Detail: Int, Comparable, Sendable {
        case gauges, status, state
        static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// One measured Service port.
    struct Port: Sendable {
        var key: ServicePortKey
        var pendingSummary: [ChangeKind: (count: Int, oldest: Timestamp)]
        var staleCount: Int
        var missingCount: Int
        /// `.state` only.
        var desired: Set<NodeAddress> = []
        var targets: [String] = []
        var pending: [PendingChange] = []
        var stale: Set<NodeAddress> = []
        var missing: Set<NodeAddress> = []
    }

    /// One APISIX target.
    struct Target: Sendable {
        var name: String
        var health: SourceHealth
        var mappingCounts: [UpstreamMapping.State: Int]
        /// `.state` only, sorted by id.
        var upstreams: [StateDocument.Upstream] = []
    }

    var time: Timestamp
    var ready: Bool
    /// `.status` and `.state`: every measured port, sorted.
    var ports: [Port]
    /// `.gauges`: the measured ports' gauges summed per Service (the ports themselves are not copied then).
    var serviceGauges: [ServiceKey: ExporterMetrics.GaugeSnapshot.ServiceState] = [:]
    var kubernetesTarget: String
    var kubernetes: SourceHealth
    var watching: Bool
    var timingSettled: Bool
    /// Sorted by name.
    var targets: [Target]
    var recommendation: Recommendation
    var policy: RecommendationPolicy
    var window: Double
    var resolution: Double
    /// `.status` and `.state`.
    var serviceRecommendations: [(ServiceKey, Recommendation)] = []
    var removals: CensoredLagWindow.Summary = .empty
    var additions: CensoredLagWindow.Summary = .empty
    var serviceRemovals: [ServiceKey: SampleWindow.Summary] = [:]
    var serviceAdditions: [ServiceKey: SampleWindow.Summary] = [:]
    var unobservedCauses: [UnobservedCause: Int] = [:]
    /// Whether removals are timed from pod deletion, and why not when the watch was forbidden.
    var podWatchEnabled = false
    var podWatchDisabledReason: String?
    /// Health of the pod and ReplicaSet watches (source `kubernetes-pods`), by target.
    var podSources: [(target: String, health: SourceHealth)] = []
    /// The workloads behind each measured Service and the Services' removal windows (empty without the pod watch).
    var serviceWorkloads: [ServiceKey: [PodTiming.ServiceWorkload]] = [:]
    var serviceRemovalWindows: [ServiceKey: SampleWindow] = [:]
    /// Removals in the overall window measured from pod deletion.
    var endToEndSamples = 0

    /// The workload table at the snapshot's time.
    /// - Parameter patches: whether to write each at-risk workload's patch (the status page and
    ///   `/api/v1/workloads`; not the metrics).
    func workloadReports(patches: Bool) -> [WorkloadReport] {
        guard !serviceWorkloads.isEmpty else { return [] }
        var removals: [ServiceKey: SampleWindow.Summary] = [:]
        for service in serviceWorkloads.keys {
            if let window = serviceRemovalWindows[service] { removals[service] = window.summary(at: time) }
        }
        return WorkloadTable.reports(
            serviceWorkloads: serviceWorkloads,
            removals: removals,
            policy: policy,
            patches: patches
        )
    }
}

extension ExporterMetrics.GaugeSnapshot {
    /// The gauges of a snapshot.
    init(_ snapshot: TrackerSnapshot) {
        self.init()
        services = snapshot.serviceGauges
        for port in snapshot.ports {
            services[port.key.service, default: .init()].add(
                pending: port.pendingSummary,
                stale: port.staleCount,
                missing: port.missingCount
            )
        }
        sources.append(
            .init(
                source: "kubernetes",
                target: snapshot.kubernetesTarget,
                up: snapshot.kubernetes.up,
                lastSuccess: snapshot.kubernetes.lastSuccess
            )
        )
        for (target, health) in snapshot.podSources {
            sources.append(
                .init(source: SyncTracker.podSource, target: target, up: health.up, lastSuccess: health.lastSuccess)
            )
        }
        for target in snapshot.targets {
            sources.append(
                .init(
                    source: "apisix",
                    target: target.name,
                    up: target.health.up,
                    lastSuccess: target.health.lastSuccess
                )
            )
            upstreams[target.name] = target.mappingCounts
        }
        recommendation = snapshot.recommendation
        configuredDelay = snapshot.policy.configuredDelay
        podWatchEnabled = snapshot.podWatchEnabled
        workloads = snapshot.workloadReports(patches: false)
    }
}

extension StatusSnapshot {
    /// The status page's view of a snapshot taken with detail `.status` or more.
    init(_ snapshot: TrackerSnapshot) {
        let policy = snapshot.policy
        let document = RecommendationDocument(
            overall: snapshot.recommendation,
            services: snapshot.serviceRecommendations,
            policy: policy,
            window: snapshot.window
        )
        var rows: [ServiceKey: ServiceRow] = [:]
        for port in snapshot.ports {
            let service = port.key.service
            var row: ServiceRow
            if let existing = rows[service] {
                row = existing
            } else {
                let removals = snapshot.serviceRemovals[service] ?? SampleWindow.Summary(sorted: [])
                let additions = snapshot.serviceAdditions[service] ?? SampleWindow.Summary(sorted: [])
                row = ServiceRow(
                    namespace: service.namespace,
                    name: service.name,
                    removals: removals.distribution(recommendationQuantile: policy.quantile),
                    additions: additions.distribution(recommendationQuantile: policy.quantile),
                    staleNodes: 0,
                    missingNodes: 0,
                    pendingChanges: 0,
                    removalsOverDelay: removals.count(above: policy.configuredDelay)
                )
            }
            row.staleNodes += port.staleCount
            row.missingNodes += port.missingCount
            row.pendingChanges += port.pendingSummary.values.reduce(0) { $0 + $1.count }
            rows[service] = row
        }
        var sources = [
            SourceRow(
                source: "kubernetes",
                target: snapshot.kubernetesTarget,
                up: snapshot.kubernetes.up,
                lastSuccess: snapshot.kubernetes.lastSuccess,
                lastError: snapshot.kubernetes.lastFailure?.description,
                errors: snapshot.kubernetes.errors
            )
        ]
        for (target, health) in snapshot.podSources {
            sources.append(
                SourceRow(
                    source: SyncTracker.podSource,
                    target: target,
                    up: health.up,
                    lastSuccess: health.lastSuccess,
                    lastError: health.lastFailure?.description,
                    errors: health.errors
                )
            )
        }
        var upstreams: [UpstreamMapping.State: Int] = [:]
        for target in snapshot.targets {
            sources.append(
                SourceRow(
                    source: "apisix",
                    target: target.name,
                    up: target.health.up,
                    lastSuccess: target.health.lastSuccess,
                    lastError: target.health.lastFailure?.description,
                    errors: target.health.errors
                )
            )
            for (state, count) in target.mappingCounts { upstreams[state, default: 0] += count }
        }
        self.init(
            time: snapshot.time,
            ready: snapshot.ready,
            version: BuildInfo.version,
            recommendation: document,
            removals: snapshot.removals.distribution(recommendationQuantile: policy.quantile),
            additions: snapshot.additions.distribution(recommendationQuantile: policy.quantile),
            services: rows.values.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) },
            sources: sources,
            upstreams: upstreams,
            resolution: snapshot.resolution
        )
        workloads = WorkloadsDocument(snapshot)
    }
}

extension WorkloadsDocument {
    /// The workload table of a snapshot.
    init(_ snapshot: TrackerSnapshot) {
        self.init(
            enabled: snapshot.podWatchEnabled,
            disabledReason: snapshot.podWatchEnabled
                ? nil : snapshot.podWatchDisabledReason ?? "turned off (--kubernetes.watch-pods=false)",
            workloads: snapshot.workloadReports(patches: true).map(WorkloadsDocument.Workload.init)
        )
    }
}

extension StateDocument {
    /// `/api/v1/state` from a snapshot taken with detail `.state`.
    init(_ snapshot: TrackerSnapshot) {
        var services: [ServiceKey: Service] = [:]
        for port in snapshot.ports {
            let key = port.key
            var service = services[key.service] ?? Service(namespace: key.service.namespace, name: key.service.name)
            service.ports.append(
                Port(
                    port: key.port,
                    desired: port.desired.sorted().map(\.description),
                    apisixTargets: port.targets,
                    staleNodes: port.stale.sorted().map(\.description),
                    missingNodes: port.missing.sorted().map(\.description),
                    pending: port.pending.map {
                        PendingChangeState(
                            node: $0.node.description,
                            change: $0.kind,
                            since: $0.since,
                            age: max(0, snapshot.time - $0.since),
                            startKnown: $0.startKnown
                        )
                    }
                )
            )
            services[key.service] = service
        }
        var kubernetes = Source(
            source: "kubernetes",
            target: snapshot.kubernetesTarget,
            up: snapshot.kubernetes.up,
            lastSuccess: snapshot.kubernetes.lastSuccess,
            lastError: snapshot.kubernetes.lastFailure?.description
        )
        kubernetes.watching = snapshot.watching
        kubernetes.timingSettled = snapshot.timingSettled
        let sources =
            [kubernetes]
            + snapshot.targets.map {
                Source(
                    source: "apisix",
                    target: $0.name,
                    up: $0.health.up,
                    lastSuccess: $0.health.lastSuccess,
                    lastError: $0.health.lastFailure?.description
                )
            }
        self.init(
            time: snapshot.time,
            ready: snapshot.ready,
            services: services.values.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) },
            upstreams: snapshot.targets.flatMap(\.upstreams),
            sources: sources
        )
        unobservedByCause = Dictionary(
            uniqueKeysWithValues: snapshot.unobservedCauses.map { ($0.key.rawValue, $0.value) }
        )
    }
}
