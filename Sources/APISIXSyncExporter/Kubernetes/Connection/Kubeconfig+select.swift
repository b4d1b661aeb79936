extension Kubeconfig {
    /// The context, cluster and user a connection is built from.
    struct Selection: Sendable {
        var contextName: String
        var clusterName: String
        var cluster: Cluster
        /// `nil` when the context names no user: the connection sends no credentials.
        var userName: String?
        var user: User?
    }

    /// Picks the requested context (or `current-context`) and looks up its cluster and user.
    /// - Parameters:
    ///   - requested: The explicit context, or `nil` for `current-context`.
    ///   - path: The kubeconfig's path, for error messages.
    func select(context requested: String?, path: String) throws -> Selection {
        let origin = "kubeconfig \(path)"
        let contextName: String
        if let requested {
            contextName = requested
        } else if let current = currentContext, !current.isEmpty {
            contextName = current
        } else {
            throw KubernetesConnectionError("\(origin) has no current-context; pass a context explicitly")
        }

        guard let namedContext = contexts?.first(where: { $0.name == contextName }) else {
            let known = (contexts ?? []).map(\.name)
            let hint = known.isEmpty ? "it defines no contexts" : "contexts: \(known.joined(separator: ", "))"
            throw KubernetesConnectionError("\(origin) has no context '\(contextName)' (\(hint))")
        }
        guard let clusterName = namedContext.context?.cluster, !clusterName.isEmpty else {
            throw KubernetesConnectionError("\(origin): context '\(contextName)' names no cluster")
        }
        guard let namedCluster = clusters?.first(where: { $0.name == clusterName }) else {
            throw KubernetesConnectionError(
                "\(origin): cluster '\(clusterName)' of context '\(contextName)' is not defined under clusters"
            )
        }

        var selection = Selection(
            contextName: contextName,
            clusterName: clusterName,
            cluster: namedCluster.cluster ?? Cluster(),
            userName: nil,
            user: nil
        )
        if let userName = namedContext.context?.user, !userName.isEmpty {
            guard let namedUser = users?.first(where: { $0.name == userName }) else {
                throw KubernetesConnectionError(
                    "\(origin): user '\(userName)' of context '\(contextName)' is not defined under users"
                )
            }
            selection.userName = userName
            selection.user = namedUser.user ?? User()
        }
        return selection
    }
}
