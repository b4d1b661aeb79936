import Prometheus
import Synchronization

/// The exporter's metric families (the names are a contract: dashboards and alerts use them).
///
/// Counters and histograms are updated when events happen; gauges describing current state are set from a snapshot
/// just before each scrape (`update(gauges:)`), and series of deleted Services are unregistered.
public final class ExporterMetrics: Sendable {
    /// Bucket bounds of both lag histograms, in seconds.
    public static let lagBuckets: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 45, 60, 120, 300]
    static let namespace = "apisix_sync"

    public let registry: PrometheusCollectorRegistry
    let serviceLabels: Bool
    private let descriptors: Descriptors
    private let series = Mutex(SeriesStore())

    struct Descriptors: @unchecked Sendable {  // immutable; MetricNameDescriptor only holds strings
        let lag: MetricNameDescriptor
        let instanceLag: MetricNameDescriptor
        let changes: MetricNameDescriptor
        let removalsOverPrestop: MetricNameDescriptor
        let pending: MetricNameDescriptor
        let oldestPending: MetricNameDescriptor
        let stale: MetricNameDescriptor
        let missing: MetricNameDescriptor
        let recommendedPrestop: MetricNameDescriptor
        let recommendedGrace: MetricNameDescriptor
        let configuredPrestop: MetricNameDescriptor
        let recommendationSamples: MetricNameDescriptor
        let sourceUp: MetricNameDescriptor
        let sourceErrors: MetricNameDescriptor
        let sourceLastSuccess: MetricNameDescriptor
        let upstreams: MetricNameDescriptor
        let buildInfo: MetricNameDescriptor
    }

    struct SeriesStore: @unchecked Sendable {
        var counters: [[String]: (String, Counter)] = [:]
        var gauges: [[String]: (String, Gauge)] = [:]
        var histograms: [[String]: (String, ValueHistogram)] = [:]
    }

    /// - Parameters:
    ///   - resolution: the fast-poll interval in seconds, quoted in HELP texts.
    ///   - serviceLabels: false drops the `namespace` and `service` labels (`--metrics.service-labels=false`).
    public init(
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        resolution: Double,
        serviceLabels: Bool = true
    ) {
        self.registry = registry
        self.serviceLabels = serviceLabels
        let res = GoDuration.format(seconds: resolution)
        func descriptor(_ name: String, unit: String = "", _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: Self.namespace, metricName: name, unitName: unit, helpText: help)
        }
        descriptors = Descriptors(
            lag: descriptor(
                "lag",
                unit: "seconds",
                "Time from receiving an EndpointSlice change to every APISIX target reflecting it, per Service "
                    + "(resolution: fast-poll interval \(res) plus request time)."
            ),
            instanceLag: descriptor(
                "instance_lag",
                unit: "seconds",
                "Time from receiving an EndpointSlice change to one APISIX target reflecting it "
                    + "(resolution: fast-poll interval \(res) plus request time)."
            ),
            changes: descriptor(
                "changes_total",
                "Endpoint changes by how they ended: synced (lag recorded), superseded, timeout, unobserved."
            ),
            removalsOverPrestop: descriptor(
                "removals_over_prestop_total",
                "Endpoint removals whose lag exceeded the configured preStop delay."
            ),
            pending: descriptor("pending_changes", "Endpoint changes not yet reflected by every APISIX target."),
            oldestPending: descriptor(
                "oldest_pending_change_timestamp_seconds",
                "Unix time the oldest pending endpoint change was received; absent when none is pending."
            ),
            stale: descriptor(
                "stale_nodes",
                "Nodes APISIX routes to that Kubernetes does not list as ready (worst APISIX target, summed over ports)."
            ),
            missing: descriptor(
                "missing_nodes",
                "Ready endpoints APISIX does not route to (worst APISIX target, summed over ports)."
            ),
            recommendedPrestop: descriptor(
                "recommended_prestop",
                unit: "seconds",
                "Recommended preStop sleep: ceil(removal-lag quantile + margin); absent until enough samples."
            ),
            recommendedGrace: descriptor(
                "recommended_termination_grace_period",
                unit: "seconds",
                "Recommended terminationGracePeriodSeconds: max(30, preStop + shutdown budget); absent until enough "
                    + "samples."
            ),
            configuredPrestop: descriptor(
                "configured_prestop",
                unit: "seconds",
                "The preStop delay configured today (--prestop-delay), to compare the lag with."
            ),
            recommendationSamples: descriptor(
                "recommendation_samples",
                "Removal-lag samples in the recommendation window."
            ),
            sourceUp: descriptor("source_up", "1 if the last request to the source succeeded, else 0."),
            sourceErrors: descriptor("source_errors_total", "Failed requests to a source, by reason."),
            sourceLastSuccess: descriptor(
                "source_last_success_timestamp_seconds",
                "Unix time of the last successful request to the source."
            ),
            upstreams: descriptor(
                "upstreams",
                "APISIX upstreams by mapping state: mapped to a Service port, unmapped, or using discovery."
            ),
            buildInfo: descriptor("build_info", "Build information of the exporter; the value is always 1.")
        )
    }

    // MARK: Events

    /// Records a Service-level lag (outcome `synced`).
    public func recordLag(_ lag: Double, service: ServiceKey, kind: ChangeKind, configuredDelay: Double) {
        histogram(descriptors.lag, labels: labels(service) + [("change", kind.rawValue)]).record(lag)
        if kind == .remove, lag > configuredDelay {
            counter(descriptors.removalsOverPrestop, labels: labels(service)).increment()
        }
    }

    /// Records one APISIX target's lag.
    public func recordInstanceLag(_ lag: Double, target: String, kind: ChangeKind) {
        histogram(descriptors.instanceLag, labels: [("apisix", target), ("change", kind.rawValue)]).record(lag)
    }

    /// Counts a change by outcome.
    public func countChange(service: ServiceKey, kind: ChangeKind, outcome: ChangeOutcome) {
        counter(
            descriptors.changes,
            labels: labels(service) + [("change", kind.rawValue), ("outcome", outcome.rawValue)]
        ).increment()
    }

    /// Counts a failed request to a source.
    public func countSourceError(source: String, target: String, reason: String) {
        counter(descriptors.sourceErrors, labels: [("source", source), ("target", target), ("reason", reason)])
            .increment()
    }

    /// Sets the build information series.
    public func setBuildInfo(version: String, revision: String, swiftVersion: String) {
        gauge(
            descriptors.buildInfo,
            labels: [("version", version), ("revision", revision), ("swift_version", swiftVersion)]
        ).set(to: 1)
    }

    /// Drops every series of a deleted Service.
    public func removeService(_ service: ServiceKey) {
        guard serviceLabels else { return }
        let prefix = [service.namespace, service.name]
        series.withLock { store in
            for (key, entry) in store.counters where Self.matches(key, prefix) {
                registry.unregisterCounter(entry.1)
                store.counters[key] = nil
            }
            for (key, entry) in store.gauges where Self.matches(key, prefix) {
                registry.unregisterGauge(entry.1)
                store.gauges[key] = nil
            }
            for (key, entry) in store.histograms where Self.matches(key, prefix) {
                registry.unregisterValueHistogram(entry.1)
                store.histograms[key] = nil
            }
        }
    }

    /// Drops the counter and histogram series of an APISIX target that left (a discovered pod that went away); its
    /// gauges go with the next snapshot.
    public func removeTarget(_ target: String) {
        series.withLock { store in
            for (key, entry) in store.counters
            where key.first == descriptors.sourceErrors.name && key.count >= 3 && key[1] == "apisix" && key[2] == target
            {
                registry.unregisterCounter(entry.1)
                store.counters[key] = nil
            }
            for (key, entry) in store.histograms
            where key.first == descriptors.instanceLag.name && key.count >= 2 && key[1] == target {
                registry.unregisterValueHistogram(entry.1)
                store.histograms[key] = nil
            }
        }
    }

    private static func matches(_ key: [String], _ prefix: [String]) -> Bool {
        key.count >= 3 && key[1] == prefix[0] && key[2] == prefix[1]
    }

    // MARK: State

    /// Current state, rendered into gauges before each scrape.
    public struct GaugeSnapshot: Sendable {
        public struct ServiceState: Sendable {
            public var pending: [ChangeKind: Int] = [:]
            public var oldestPending: [ChangeKind: Timestamp] = [:]
            public var stale = 0
            public var missing = 0
            public init() {}
        }

        public struct Source: Sendable {
            public var source: String
            public var target: String
            public var up: Bool
            public var lastSuccess: Timestamp?
            public init(source: String, target: String, up: Bool, lastSuccess: Timestamp?) {
                self.source = source
                self.target = target
                self.up = up
                self.lastSuccess = lastSuccess
            }
        }

        public var services: [ServiceKey: ServiceState] = [:]
        public var sources: [Source] = []
        public var upstreams: [String: [UpstreamMapping.State: Int]] = [:]
        public var recommendation: Recommendation?
        public var configuredDelay: Double = 0
        public init() {}
    }

    /// Sets every state gauge from a snapshot and removes gauge series that are no longer part of it.
    public func update(gauges snapshot: GaugeSnapshot) {
        var wanted: [[String]: (MetricNameDescriptor, [(String, String)], Double)] = [:]
        func want(_ descriptor: MetricNameDescriptor, _ labels: [(String, String)], _ value: Double) {
            guard value.isFinite else { return }
            wanted[[descriptor.name] + labels.map(\.1)] = (descriptor, labels, value)
        }
        var perService: [ServiceKey: ([ChangeKind: Int], [ChangeKind: Timestamp], Int, Int)] = [:]
        for (service, state) in snapshot.services {
            // Without service labels every Service folds into one series.
            let key = serviceLabels ? service : ServiceKey(namespace: "", name: "")
            var entry = perService[key, default: ([:], [:], 0, 0)]
            for kind in ChangeKind.allCases {
                entry.0[kind, default: 0] += state.pending[kind] ?? 0
                if let oldest = state.oldestPending[kind] {
                    entry.1[kind] = min(entry.1[kind] ?? oldest, oldest)
                }
            }
            entry.2 += state.stale
            entry.3 += state.missing
            perService[key] = entry
        }
        for (service, entry) in perService {
            let key = labels(service)
            for kind in ChangeKind.allCases {
                want(descriptors.pending, key + [("change", kind.rawValue)], Double(entry.0[kind] ?? 0))
                if let oldest = entry.1[kind] {
                    want(descriptors.oldestPending, key + [("change", kind.rawValue)], oldest)
                }
            }
            want(descriptors.stale, key, Double(entry.2))
            want(descriptors.missing, key, Double(entry.3))
        }
        for source in snapshot.sources {
            let key = [("source", source.source), ("target", source.target)]
            want(descriptors.sourceUp, key, source.up ? 1 : 0)
            if let last = source.lastSuccess { want(descriptors.sourceLastSuccess, key, last) }
        }
        for (target, counts) in snapshot.upstreams {
            for state in UpstreamMapping.State.allCases {
                want(
                    descriptors.upstreams,
                    [("apisix", target), ("state", state.rawValue)],
                    Double(counts[state] ?? 0)
                )
            }
        }
        if let recommendation = snapshot.recommendation {
            want(descriptors.recommendationSamples, [], Double(recommendation.samples))
            if let preStop = recommendation.preStopSeconds {
                want(descriptors.recommendedPrestop, [], Double(preStop))
            }
            if let grace = recommendation.terminationGracePeriodSeconds {
                want(descriptors.recommendedGrace, [], Double(grace))
            }
        }
        want(descriptors.configuredPrestop, [], snapshot.configuredDelay)

        series.withLock { store in
            for (key, entry) in store.gauges where wanted[key] == nil && key.first != descriptors.buildInfo.name {
                registry.unregisterGauge(entry.1)
                store.gauges[key] = nil
            }
        }
        for (_, entry) in wanted {
            gauge(entry.0, labels: entry.1).set(to: entry.2)
        }
    }

    // MARK: Series helpers

    func labels(_ service: ServiceKey) -> [(String, String)] {
        serviceLabels ? [("namespace", service.namespace), ("service", service.name)] : []
    }

    private func counter(_ descriptor: MetricNameDescriptor, labels: [(String, String)]) -> Counter {
        let key = [descriptor.name] + labels.map(\.1)
        return series.withLock { store in
            if let existing = store.counters[key] { return existing.1 }
            let made =
                labels.isEmpty
                ? registry.makeCounter(descriptor: descriptor)
                : registry.makeCounter(descriptor: descriptor, labels: labels)
            store.counters[key] = (descriptor.name, made)
            return made
        }
    }

    private func gauge(_ descriptor: MetricNameDescriptor, labels: [(String, String)]) -> Gauge {
        let key = [descriptor.name] + labels.map(\.1)
        return series.withLock { store in
            if let existing = store.gauges[key] { return existing.1 }
            let made =
                labels.isEmpty
                ? registry.makeGauge(descriptor: descriptor)
                : registry.makeGauge(descriptor: descriptor, labels: labels)
            store.gauges[key] = (descriptor.name, made)
            return made
        }
    }

    private func histogram(_ descriptor: MetricNameDescriptor, labels: [(String, String)]) -> ValueHistogram {
        let key = [descriptor.name] + labels.map(\.1)
        return series.withLock { store in
            if let existing = store.histograms[key] { return existing.1 }
            let made =
                labels.isEmpty
                ? registry.makeValueHistogram(descriptor: descriptor, buckets: Self.lagBuckets)
                : registry.makeValueHistogram(descriptor: descriptor, labels: labels, buckets: Self.lagBuckets)
            store.histograms[key] = (descriptor.name, made)
            return made
        }
    }
}
