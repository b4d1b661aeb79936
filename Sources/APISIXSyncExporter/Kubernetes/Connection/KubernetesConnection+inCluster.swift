import NIOSSL

extension KubernetesConnection {
    /// The pod's own service account: `https://` + host:port, the mounted CA, and the rotating token file.
    /// - Parameters:
    ///   - host: `KUBERNETES_SERVICE_HOST`; an IPv6 address is bracketed.
    ///   - port: `KUBERNETES_SERVICE_PORT`.
    ///   - files: Where the token and CA are mounted.
    ///   - now: The clock for the token's refresh interval.
    static func inCluster(
        host: String,
        port: String,
        files: InClusterFiles,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) throws -> KubernetesConnection {
        guard let portNumber = Int(port), (1...65_535).contains(portNumber) else {
            throw KubernetesConnectionError("KUBERNETES_SERVICE_PORT '\(port)' is not a valid port number")
        }
        let bracketedHost = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let server = "https://\(bracketedHost):\(portNumber)"

        let caPEM = try KubernetesConnectionFiles.read(files.caPath, what: "in-cluster CA file")
        let certificates = try KubernetesConnectionFiles.certificates(
            fromPEM: caPEM,
            what: "in-cluster CA file \(files.caPath)"
        )
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(certificates)

        // Fail at start-up rather than on the first request when the token is not mounted.
        _ = try KubernetesConnectionFiles.token(at: files.tokenPath, what: "in-cluster token file")
        let credentials = TokenFileCredentialSource(path: files.tokenPath, what: "in-cluster token file", now: now)

        return KubernetesConnection(
            server: server,
            tlsConfiguration: tls,
            credentials: credentials,
            description: "in-cluster (\(server))"
        )
    }
}
