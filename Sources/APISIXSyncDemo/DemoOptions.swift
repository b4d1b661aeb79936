/// Settings of the simulated cluster the demo and the benchmark run.
public struct DemoOptions: Sendable {
    /// Number of simulated Services (Deployments).
    public var services = 6
    /// Median of the simulated ingress controller's delay, in seconds.
    public var lagMedian = 1.2
    /// 99th percentile of that delay, in seconds.
    public var lagP99 = 4.0
    /// Seed of every random choice; the same seed replays the same world.
    public var seed: UInt64 = 1
    /// Whether Deployments scale and roll on their own.
    public var churn = true
    /// Where to write the kubeconfig for kubectl; nil picks a temporary file.
    public var kubeconfigPath: String?
    /// What the exporter reads APISIX through: the fake Admin API, or a real etcd the demo starts and mirrors the
    /// fake's writes into.
    public var source: Source = .admin

    public enum Source: String, Sendable, CaseIterable {
        case admin
        case etcd
    }

    public init() {}
}
