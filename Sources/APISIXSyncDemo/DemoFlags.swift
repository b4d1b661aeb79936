import APISIXSyncExporter

/// The demo's own flags as given (text, unchecked); ``resolve()`` checks them into ``DemoOptions``.
public struct DemoFlags: Sendable, Equatable {
    /// `--services`: 1 to 10000.
    public var services = "\(DemoOptions.defaultServices)"
    /// `--lag-median` and `--lag-p99`: durations, the 99th percentile not below the median.
    public var lagMedian = FlagValue.durationText(DemoOptions.defaultLagMedian)
    public var lagP99 = FlagValue.durationText(DemoOptions.defaultLagP99)
    /// `--seed`: an unsigned integer; nil picks one at random.
    public var seed: String?
    /// `--apisix.source`: admin or etcd.
    public var source = DemoOptions.Source.admin.rawValue
    /// `--kubeconfig-out`.
    public var kubeconfigOut: String?

    public init() {}

    /// - Parameter etcdInstalled: whether `--apisix.source etcd` can start etcd (asked only for that source).
    public func resolve(etcdInstalled: () -> Bool = { DemoEtcd.binary != nil }) throws(SettingsError) -> DemoOptions {
        var options = DemoOptions()
        guard let count = Int(services), (1...10_000).contains(count) else {
            throw SettingsError(flag: "--services", "\"\(services)\" must be an integer from 1 to 10000")
        }
        options.services = count
        options.lagMedian = try FlagValue.duration("--lag-median", lagMedian, minimum: 0.01)
        options.lagP99 = try FlagValue.duration("--lag-p99", lagP99, minimum: 0.01)
        guard options.lagP99 >= options.lagMedian else {
            throw SettingsError(flag: "--lag-p99", "\(lagP99) must not be below --lag-median \(lagMedian)")
        }
        if let seed {
            guard let value = UInt64(seed) else {
                throw SettingsError(flag: "--seed", "\"\(seed)\" is not an unsigned integer")
            }
            options.seed = value
        } else {
            options.seed = UInt64.random(in: 1...999_999)
        }
        options.kubeconfigPath = kubeconfigOut
        guard let parsed = DemoOptions.Source(rawValue: source) else {
            throw SettingsError(flag: "--apisix.source", "\"\(source)\" must be admin or etcd")
        }
        if parsed == .etcd, !etcdInstalled() {
            throw SettingsError(flag: "--apisix.source", DemoEtcd.installHint)
        }
        options.source = parsed
        return options
    }
}
