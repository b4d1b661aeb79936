import Foundation

extension KubernetesConnection {
    /// Finds the Kubernetes API and its credentials the way client-go based exporters do.
    ///
    /// In-cluster when `KUBERNETES_SERVICE_HOST` and `KUBERNETES_SERVICE_PORT` are set and neither a kubeconfig nor a
    /// context was given explicitly; else a kubeconfig: `kubeconfigPath`, else `$KUBECONFIG` (the first existing
    /// entry of a `:`-separated list), else `~/.kube/config`.
    ///
    /// - Parameters:
    ///   - kubeconfigPath: An explicit kubeconfig file (`--kubeconfig`); `nil` or empty for the default search.
    ///   - context: The kubeconfig context to use instead of `current-context` (`--context`); `nil` or empty for the
    ///     default.
    ///   - environment: The process environment. It also becomes the base environment of exec credential plugins.
    ///   - inClusterFiles: Where the service-account token and CA are mounted.
    /// - Returns: The resolved connection. Token files are read again later, exec plugins are run on first use.
    /// - Throws: ``KubernetesConnectionError`` with a one-line explanation.
    public static func resolve(
        kubeconfigPath: String?,
        context: String?,
        environment: [String: String],
        inClusterFiles: InClusterFiles = .standard
    ) throws -> KubernetesConnection {
        let explicitPath = kubeconfigPath.flatMap { $0.isEmpty ? nil : $0 }
        let explicitContext = context.flatMap { $0.isEmpty ? nil : $0 }
        let host = environment["KUBERNETES_SERVICE_HOST"].flatMap { $0.isEmpty ? nil : $0 }
        let port = environment["KUBERNETES_SERVICE_PORT"].flatMap { $0.isEmpty ? nil : $0 }

        if explicitPath == nil, explicitContext == nil, let host, let port {
            return try inCluster(host: host, port: port, files: inClusterFiles)
        }

        let path: String
        if let explicitPath {
            path = absolutePath(explicitPath, environment: environment)
        } else {
            path = defaultKubeconfigPath(environment: environment)
            guard FileManager.default.fileExists(atPath: path) else {
                if let explicitContext, host != nil, port != nil {
                    throw KubernetesConnectionError(
                        "context '\(explicitContext)' was given, which needs a kubeconfig, "
                            + "but kubeconfig \(path) does not exist"
                    )
                }
                throw KubernetesConnectionError(
                    "no Kubernetes configuration found: not in a cluster (KUBERNETES_SERVICE_HOST/_PORT not set) "
                        + "and kubeconfig \(path) does not exist"
                )
            }
        }
        return try fromKubeconfig(path: path, context: explicitContext, environment: environment)
    }

    /// `$KUBECONFIG`'s first existing entry (or its first entry when none exists), else `~/.kube/config`.
    static func defaultKubeconfigPath(environment: [String: String]) -> String {
        let entries = (environment["KUBECONFIG"] ?? "")
            .split(separator: ":", omittingEmptySubsequences: true)
            .map { absolutePath(String($0), environment: environment) }
        if let existing = entries.first(where: { FileManager.default.fileExists(atPath: $0) }) {
            return existing
        }
        if let first = entries.first {
            return first
        }
        return homeDirectory(environment: environment) + "/.kube/config"
    }

    /// Expands a leading `~/` and makes a relative path absolute against the working directory.
    static func absolutePath(_ path: String, environment: [String: String]) -> String {
        var expanded = path
        if expanded == "~" || expanded.hasPrefix("~/") {
            expanded = homeDirectory(environment: environment) + expanded.dropFirst()
        }
        return URL(fileURLWithPath: expanded).standardizedFileURL.path
    }

    private static func homeDirectory(environment: [String: String]) -> String {
        if let home = environment["HOME"], !home.isEmpty {
            return home
        }
        return FileManager.default.homeDirectoryForCurrentUser.path
    }
}
