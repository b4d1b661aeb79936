/// `--kubeconfig` and the `--kubernetes.*` flags as given; ``resolve()`` checks them into ``KubernetesSettings``.
public struct KubernetesFlags: Sendable, Equatable {
    /// `--kubeconfig`.
    public var kubeconfig: String?
    /// `--kubernetes.context`.
    public var context: String?
    /// `--kubernetes.namespace`, repeatable.
    public var namespaces: [String] = []
    /// `--kubernetes.watch-pods`: true or false.
    public var watchPods = "\(SettingDefaults.watchPods)"

    public init() {}

    /// The checked settings: namespaces are DNS labels (kept once, sorted), watch-pods a boolean.
    public func resolve() throws(SettingsError) -> KubernetesSettings {
        if let kubeconfig, kubeconfig.isEmpty { throw SettingsError(flag: "--kubeconfig", "empty path") }
        let watch = try FlagValue.bool("--kubernetes.watch-pods", watchPods)
        for namespace in namespaces where !FlagValue.isDNSLabel(namespace) {
            throw SettingsError(flag: "--kubernetes.namespace", "\"\(namespace)\" is not a valid namespace name")
        }
        return KubernetesSettings(
            kubeconfigPath: kubeconfig,
            context: context,
            namespaces: Array(Set(namespaces)).sorted(),
            watchPods: watch
        )
    }
}
