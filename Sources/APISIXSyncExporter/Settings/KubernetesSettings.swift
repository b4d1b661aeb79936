/// How to reach the Kubernetes API and what to watch (`--kubeconfig`, `--kubernetes.*`).
public struct KubernetesSettings: Sendable, Equatable {
    /// `--kubeconfig`; nil: in-cluster, else `$KUBECONFIG`, else `~/.kube/config`.
    public internal(set) var kubeconfigPath: String?
    /// `--kubernetes.context`; nil: the current context.
    public internal(set) var context: String?
    /// Namespaces to watch; empty means cluster-wide.
    public internal(set) var namespaces: [String]
    /// Watch pods and ReplicaSets to time removals from pod deletion and read each workload's preStop
    /// (`--kubernetes.watch-pods`).
    public internal(set) var watchPods: Bool
    /// Seconds one page of an EndpointSlice list may take (no flag; tests shorten it).
    public internal(set) var listTimeout: Double

    public init(
        kubeconfigPath: String? = nil,
        context: String? = nil,
        namespaces: [String] = [],
        watchPods: Bool = SettingDefaults.watchPods,
        listTimeout: Double = SettingDefaults.kubernetesListTimeout
    ) {
        self.kubeconfigPath = kubeconfigPath
        self.context = context
        self.namespaces = namespaces
        self.watchPods = watchPods
        self.listTimeout = listTimeout
    }
}
