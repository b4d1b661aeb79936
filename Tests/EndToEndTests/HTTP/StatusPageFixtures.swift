import Foundation

@testable import APISIXSyncExporter

/// Hand-built status snapshots for the status page tests.
enum StatusPageFixtures {
    static let now: Timestamp = 1_750_000_000

    struct Service {
        var namespace = "shop"
        var name: String
        var removals: [Double] = []
        var additions: [Double] = []
        var stale = 0
        var missing = 0
        var pending = 0
    }

    /// The distribution of `lags` as the tracker builds it (HDR window, Prometheus buckets).
    static func distribution(_ lags: [Double], quantile: Double = 0.99) -> StatusSnapshot.Distribution {
        summary(lags).distribution(recommendationQuantile: quantile)
    }

    static func summary(_ lags: [Double]) -> LagWindow.Summary {
        var window = LagWindow(window: 86_400)
        for lag in lags { window.record(lag, at: now - 60) }
        return window.summary(at: now)
    }

    /// A snapshot whose overall removal and addition lags are those of `services`.
    static func snapshot(
        services: [Service] = [],
        configuredDelay: Double = 5,
        minSamples: Int = 20,
        sources: [StatusSnapshot.SourceRow]? = nil,
        upstreams: [UpstreamMapping.State: Int] = [.mapped: 3]
    ) -> StatusSnapshot {
        var policy = RecommendationPolicy()
        policy.configuredDelay = configuredDelay
        policy.minSamples = minSamples
        let removals = services.flatMap(\.removals)
        let additions = services.flatMap(\.additions)
        let perService = services.filter { !$0.removals.isEmpty }.map { service in
            (
                ServiceKey(namespace: service.namespace, name: service.name),
                Recommendation.compute(from: summary(service.removals), policy: policy)
            )
        }
        let document = RecommendationDocument(
            overall: Recommendation.compute(from: summary(removals), policy: policy),
            services: perService,
            policy: policy,
            window: 86_400
        )
        return StatusSnapshot(
            time: now,
            ready: true,
            version: "0.1.0",
            recommendation: document,
            removals: distribution(removals),
            additions: distribution(additions),
            services: services.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }.map { service in
                StatusSnapshot.ServiceRow(
                    namespace: service.namespace,
                    name: service.name,
                    removals: distribution(service.removals),
                    additions: distribution(service.additions),
                    staleNodes: service.stale,
                    missingNodes: service.missing,
                    pendingChanges: service.pending,
                    removalsOverDelay: service.removals.count { $0 > configuredDelay }
                )
            },
            sources: sources ?? [
                .init(
                    source: "kubernetes",
                    target: "10.96.0.1:443",
                    up: true,
                    lastSuccess: now - 2,
                    lastError: nil,
                    errors: 0
                ),
                .init(
                    source: "apisix",
                    target: "apisix-admin.ingress-apisix:9180",
                    up: true,
                    lastSuccess: now - 0.4,
                    lastError: nil,
                    errors: 0
                ),
            ],
            upstreams: upstreams,
            resolution: 0.1
        )
    }

    /// `count` lags spread evenly over `range`.
    static func lags(_ count: Int, _ range: ClosedRange<Double>) -> [Double] {
        guard count > 1 else { return [range.lowerBound] }
        return (0..<count).map {
            range.lowerBound + (range.upperBound - range.lowerBound) * Double($0) / Double(count - 1)
        }
    }

    /// 20 removals between 0.2 s and 1.3 s over three Services: recommendation 3 s, enough for 5 s.
    static var enough: StatusSnapshot {
        snapshot(services: [
            Service(name: "web", removals: lags(10, 0.2...0.6), additions: lags(6, 0.3...1.2)),
            Service(name: "cart", removals: lags(6, 0.4...0.9), additions: [0.5, 0.7]),
            Service(namespace: "payments", name: "checkout", removals: lags(4, 0.8...1.3), pending: 1),
        ])
    }

    /// 24 removals up to 2.6 s with a configured delay of 2 s: recommendation 4 s, not enough.
    static var notEnough: StatusSnapshot {
        snapshot(
            services: [
                Service(name: "web", removals: lags(12, 0.2...0.8), additions: lags(5, 0.4...1.0)),
                Service(name: "cart", removals: lags(8, 0.5...1.6), stale: 1),
                Service(namespace: "payments", name: "checkout", removals: lags(4, 2.1...2.6), missing: 2),
            ],
            configuredDelay: 2
        )
    }
}
