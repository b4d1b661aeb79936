/// Settings of the simulated cluster the demo and the benchmark run.
public struct DemoOptions: Sendable {
    /// Number of simulated Services (Deployments).
    public var services = Self.defaultServices
    /// Median of the simulated ingress controller's delay, in seconds.
    public var lagMedian = Self.defaultLagMedian
    /// 99th percentile of that delay, in seconds.
    public var lagP99 = Self.defaultLagP99
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

    /// `--services`.
    public static let defaultServices = 6
    /// `--lag-median`, in seconds.
    public static let defaultLagMedian = 1.2
    /// `--lag-p99`, in seconds.
    public static let defaultLagP99 = 4.0
}
