extension ExporterMetrics {
    /// Current state, rendered into gauges at each scrape.
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
        /// The exporter's own CPU, memory and file descriptors (`process_*`); nil leaves them out.
        public var process: ProcessMetrics?
        /// The workloads behind measured Services (empty without the pod watch).
        public var workloads: [WorkloadReport] = []
        /// Whether removals are timed from pod deletion (nil leaves `pod_watch_enabled` out).
        public var podWatchEnabled: Bool?
        public init() {}
    }
}

extension ExporterMetrics.GaugeSnapshot.ServiceState {
    /// Adds one Service port's pending changes and divergence.
    public mutating func add(pending summary: [ChangeKind: (count: Int, oldest: Timestamp)], stale: Int, missing: Int) {
        for (kind, entry) in summary {
            pending[kind, default: 0] += entry.count
            oldestPending[kind] = min(oldestPending[kind] ?? entry.oldest, entry.oldest)
        }
        self.stale += stale
        self.missing += missing
    }

    /// Adds another Service's state (the one series without service labels).
    mutating func add(_ other: Self) {
        for (kind, count) in other.pending { pending[kind, default: 0] += count }
        for (kind, time) in other.oldestPending { oldestPending[kind] = min(oldestPending[kind] ?? time, time) }
        stale += other.stale
        missing += other.missing
    }
}
