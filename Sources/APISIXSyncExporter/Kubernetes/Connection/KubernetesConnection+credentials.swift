extension KubernetesConnection {
    /// Chooses how a kubeconfig user authenticates, following client-go's precedence: `tokenFile`, then `token`,
    /// then `username`/`password`; an `exec` plugin only when none of these nor a client certificate is set.
    /// - Parameters:
    ///   - user: The context's user, or `nil` for none.
    ///   - what: `kubeconfig <path>: user '<name>'`, for error messages.
    ///   - hasClientCertificate: Whether the user authenticates with a TLS client certificate.
    ///   - directory: The kubeconfig's directory, for relative paths.
    ///   - environment: The base environment of exec plugins.
    ///   - clusterInfo: Sent to exec plugins that set `provideClusterInfo`.
    static func credentialSource(
        _ user: Kubeconfig.User?,
        what: String,
        hasClientCertificate: Bool,
        directory: String,
        environment: [String: String],
        clusterInfo: ExecCredential.Cluster
    ) throws -> any KubernetesCredentialSource {
        guard let user else { return StaticCredentialSource.none }

        if let impersonate = user.impersonate, !impersonate.isEmpty {
            throw KubernetesConnectionError("\(what) sets 'as' (impersonation), which is not supported")
        }
        if let provider = user.authProvider {
            throw KubernetesConnectionError(
                "\(what) uses auth-provider '\(provider.name ?? "")', which is not supported; "
                    + "use an exec credential plugin instead"
            )
        }

        let token = user.token.flatMap { $0.isEmpty ? nil : $0 }
        let tokenFile = user.tokenFile.flatMap { $0.isEmpty ? nil : $0 }
        let username = user.username.flatMap { $0.isEmpty ? nil : $0 }
        let password = user.password.flatMap { $0.isEmpty ? nil : $0 }
        let hasToken = token != nil || tokenFile != nil
        let hasBasic = username != nil || password != nil
        if hasToken, hasBasic {
            throw KubernetesConnectionError("\(what) sets both a token and username/password; only one is allowed")
        }

        if let tokenFile {
            let path = resolve(tokenFile, against: directory)
            let fileWhat = "\(what) tokenFile"
            _ = try KubernetesConnectionFiles.token(at: path, what: fileWhat)
            return TokenFileCredentialSource(path: path, what: fileWhat)
        }
        if let token {
            guard KubernetesConnectionFiles.isValidHeaderToken(token) else {
                throw KubernetesConnectionError("\(what) token contains line breaks or control characters")
            }
            return StaticCredentialSource.bearer(token)
        }
        if hasBasic {
            guard let username else {
                throw KubernetesConnectionError("\(what) sets a password but no username")
            }
            return StaticCredentialSource.basic(username: username, password: password ?? "")
        }
        if let exec = user.exec, !hasClientCertificate {
            let plugin = try execPlugin(
                exec,
                what: what,
                directory: directory,
                environment: environment,
                clusterInfo: clusterInfo
            )
            return ExecCredentialSource(plugin: plugin)
        }
        return StaticCredentialSource.none
    }
}
