import Foundation
import NIOSSL

extension KubernetesConnection {
    /// Builds a connection from a kubeconfig file.
    /// - Parameters:
    ///   - path: Absolute path of the kubeconfig; relative file references in it are resolved against its directory.
    ///   - context: The context to use, or `nil` for `current-context`.
    ///   - environment: The base environment of exec credential plugins (and the `PATH` they are looked up in).
    static func fromKubeconfig(
        path: String,
        context: String?,
        environment: [String: String]
    ) throws -> KubernetesConnection {
        let kubeconfig = try Kubeconfig.load(path: path)
        let selection = try kubeconfig.select(context: context, path: path)
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let origin = "kubeconfig \(path)"
        let clusterWhat = "\(origin): cluster '\(selection.clusterName)'"
        let cluster = selection.cluster

        let server = try normalizedServer(cluster.server, what: clusterWhat)
        var tlsServerName: String?
        if let name = cluster.tlsServerName, !name.isEmpty {
            tlsServerName = try Self.tlsServerName(name, what: clusterWhat)
        }
        if let proxy = cluster.proxyURL, !proxy.isEmpty {
            throw KubernetesConnectionError("\(clusterWhat) sets proxy-url, which is not supported")
        }
        let caPEM = try certificateAuthorityPEM(cluster, what: clusterWhat, directory: directory)
        let insecure = cluster.insecureSkipTLSVerify ?? false
        if insecure, caPEM != nil {
            throw KubernetesConnectionError(
                "\(clusterWhat) sets both insecure-skip-tls-verify and a certificate authority; remove one"
            )
        }

        let userWhat = "\(origin): user '\(selection.userName ?? "")'"
        let clientIdentity = try selection.user.flatMap {
            try clientCertificate($0, what: userWhat, directory: directory)
        }

        var tls: TLSConfiguration?
        if server.hasPrefix("https://") {
            var configuration = TLSConfiguration.makeClientConfiguration()
            if let caPEM {
                let authorities = try KubernetesConnectionFiles.certificates(
                    fromPEM: caPEM,
                    what: "\(clusterWhat) certificate authority"
                )
                configuration.trustRoots = .certificates(authorities)
            }
            if insecure {
                configuration.certificateVerification = .none
            }
            if let clientIdentity {
                configuration.certificateChain = clientIdentity.chain.map { .certificate($0) }
                configuration.privateKey = .privateKey(clientIdentity.key)
            }
            tls = configuration
        }

        let clusterInfo = ExecCredential.Cluster(
            server: server,
            certificateAuthorityData: caPEM?.base64EncodedString(),
            insecureSkipTLSVerify: insecure ? true : nil,
            tlsServerName: tlsServerName
        )
        let credentials = try credentialSource(
            selection.user,
            what: userWhat,
            hasClientCertificate: clientIdentity != nil,
            directory: directory,
            environment: environment,
            clusterInfo: clusterInfo
        )

        return KubernetesConnection(
            server: server,
            tlsConfiguration: tls,
            tlsServerName: tlsServerName,
            credentials: credentials,
            description: "kubeconfig \(path) context \(selection.contextName) (\(server))"
        )
    }

    /// Validates a cluster's `server`: `http://` or `https://` (the default when no scheme is given), with a host, no
    /// user info, query or fragment; trailing slashes are removed.
    static func normalizedServer(_ raw: String?, what: String) throws -> String {
        guard let trimmed = raw?.trimmingCharacters(in: .whitespaces), !trimmed.isEmpty else {
            throw KubernetesConnectionError("\(what) has no server")
        }
        var server = trimmed.contains("://") ? trimmed : "https://\(trimmed)"
        guard let components = URLComponents(string: server) else {
            throw KubernetesConnectionError("\(what) has an invalid server URL")
        }
        guard components.user == nil, components.password == nil else {
            throw KubernetesConnectionError(
                "\(what) server URL contains credentials; put them under users[].user instead"
            )
        }
        guard let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw KubernetesConnectionError("\(what) server '\(trimmed)' is not an http:// or https:// URL")
        }
        guard let host = components.host, !host.isEmpty else {
            throw KubernetesConnectionError("\(what) server '\(trimmed)' has no host")
        }
        guard components.query == nil, components.fragment == nil else {
            throw KubernetesConnectionError("\(what) server '\(trimmed)' must not have a query or fragment")
        }
        server = scheme + server.dropFirst(scheme.count)
        while server.hasSuffix("/") {
            server.removeLast()
        }
        return server
    }

    /// The cluster's CA bundle as PEM: `certificate-authority-data` (preferred, as in client-go) or the
    /// `certificate-authority` file; `nil` when neither is set.
    private static func certificateAuthorityPEM(
        _ cluster: Kubeconfig.Cluster,
        what: String,
        directory: String
    ) throws -> Data? {
        if let data = cluster.certificateAuthorityData, !data.isEmpty {
            let pem = try KubernetesConnectionFiles.base64(data, what: "\(what) certificate-authority-data")
            _ = try KubernetesConnectionFiles.certificates(fromPEM: pem, what: "\(what) certificate-authority-data")
            return pem
        }
        if let file = cluster.certificateAuthority, !file.isEmpty {
            let path = resolve(file, against: directory)
            let pem = try KubernetesConnectionFiles.read(path, what: "\(what) certificate-authority file")
            _ = try KubernetesConnectionFiles.certificates(
                fromPEM: pem,
                what: "\(what) certificate-authority file \(path)"
            )
            return pem
        }
        return nil
    }

    /// The user's client certificate chain and key (`-data` fields preferred over files), or `nil` when neither is
    /// set.
    private static func clientCertificate(
        _ user: Kubeconfig.User,
        what: String,
        directory: String
    ) throws -> (chain: [NIOSSLCertificate], key: NIOSSLPrivateKey)? {
        let hasCertificate = !(user.clientCertificateData ?? "").isEmpty || !(user.clientCertificate ?? "").isEmpty
        let hasKey = !(user.clientKeyData ?? "").isEmpty || !(user.clientKey ?? "").isEmpty
        switch (hasCertificate, hasKey) {
        case (false, false):
            return nil
        case (true, false):
            throw KubernetesConnectionError("\(what) has a client-certificate but no client-key")
        case (false, true):
            throw KubernetesConnectionError("\(what) has a client-key but no client-certificate")
        case (true, true):
            break
        }
        let certificate = try pem(
            data: user.clientCertificateData,
            file: user.clientCertificate,
            field: "client-certificate",
            what: what,
            directory: directory
        )
        let key = try pem(
            data: user.clientKeyData,
            file: user.clientKey,
            field: "client-key",
            what: what,
            directory: directory
        )
        let chain = try KubernetesConnectionFiles.certificates(
            fromPEM: certificate.bytes,
            what: "\(what) \(certificate.source)"
        )
        let privateKey = try KubernetesConnectionFiles.privateKey(fromPEM: key.bytes, what: "\(what) \(key.source)")
        return (chain, privateKey)
    }

    /// Reads `<field>-data` (base64) or else the `<field>` file; `source` names where the bytes came from.
    private static func pem(
        data: String?,
        file: String?,
        field: String,
        what: String,
        directory: String
    ) throws -> (bytes: Data, source: String) {
        if let data, !data.isEmpty {
            return (try KubernetesConnectionFiles.base64(data, what: "\(what) \(field)-data"), "\(field)-data")
        }
        let path = resolve(file ?? "", against: directory)
        return (try KubernetesConnectionFiles.read(path, what: "\(what) \(field) file"), "\(field) file \(path)")
    }

    /// Resolves a path from a kubeconfig against the kubeconfig's directory, as client-go does.
    static func resolve(_ path: String, against directory: String) -> String {
        let absolute = path.hasPrefix("/") ? path : directory + "/" + path
        return URL(fileURLWithPath: absolute).standardizedFileURL.path
    }
}
