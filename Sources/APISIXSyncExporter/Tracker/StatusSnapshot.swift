/// Everything the status page shows, taken at one instant.
public struct StatusSnapshot: Sendable {
    /// A lag distribution over the recommendation window.
    public struct Distribution: Sendable, Equatable {
        /// Number of samples.
        public var count: Int
        public var p50: Double?
        public var p90: Double?
        public var p99: Double?
        /// The recommendation quantile (`--recommendation.quantile`).
        public var recommendationQuantile: Double?
        public var max: Double?
        /// Samples per bucket: `(upper bound in seconds, count)` for the `apisix_sync_lag_seconds` bounds, then
        /// `(+infinity, count)` for the rest.
        public var buckets: [(upperBound: Double, count: Int)]

        public static func == (lhs: Distribution, rhs: Distribution) -> Bool {
            lhs.count == rhs.count && lhs.p50 == rhs.p50 && lhs.p99 == rhs.p99 && lhs.max == rhs.max
                && lhs.buckets.map(\.count) == rhs.buckets.map(\.count)
        }
    }

    /// One row of the per-Service table.
    public struct ServiceRow: Sendable {
        public var namespace: String
        public var name: String
        /// Removal samples in the window and their quantiles.
        public var removals: Distribution
        public var additions: Distribution
        public var staleNodes: Int
        public var missingNodes: Int
        public var pendingChanges: Int
        /// Removals in the window slower than the configured delay.
        public var removalsOverDelay: Int
    }

    /// Health of one source.
    public struct SourceRow: Sendable {
        public var source: String
        public var target: String
        public var up: Bool
        public var lastSuccess: Timestamp?
        public var lastError: String?
        /// Failed requests since start.
        public var errors: Int
    }

    public var time: Timestamp
    public var ready: Bool
    public var version: String
    public var recommendation: RecommendationDocument
    public var removals: Distribution
    public var additions: Distribution
    public var services: [ServiceRow]
    public var sources: [SourceRow]
    /// Upstreams by mapping state, over all APISIX targets.
    public var upstreams: [UpstreamMapping.State: Int]
    /// The fast-poll interval: the lag resolution.
    public var resolution: Double
    /// The workload table, at-risk first (empty without the pod watch).
    public var workloads: WorkloadsDocument = WorkloadsDocument(enabled: false, disabledReason: nil, workloads: [])
}

extension LagStatistics {
    /// The distribution for the status page.
    func distribution(recommendationQuantile q: Double) -> StatusSnapshot.Distribution {
        var buckets: [(upperBound: Double, count: Int)] = []
        var below = 0
        for bound in ExporterMetrics.lagBuckets {
            let atOrBelow = count - count(above: bound)
            buckets.append((bound, atOrBelow - below))
            below = atOrBelow
        }
        buckets.append((.infinity, count - below))
        return StatusSnapshot.Distribution(
            count: count,
            p50: quantile(0.5),
            p90: quantile(0.9),
            p99: quantile(0.99),
            recommendationQuantile: quantile(q),
            max: maximum,
            buckets: buckets
        )
    }
}
