import NIOCore
import NIOSSL

/// A ready-to-use server TLS setup built from `tls_server_config`: the NIOSSL context and whether client
/// certificates are accepted unverified (the client-auth types that request a certificate but do not verify it).
struct WebTLS: Sendable {
    let context: NIOSSLContext
    let acceptsAnyClientCertificate: Bool

    /// Loads the certificate chain, key and client CAs and builds the context; errors name the key, not the content.
    init(_ config: TLSServerConfig) throws(WebConfigError) {
        let prefix = "tls_server_config"
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(config.certFile)
        } catch {
            throw WebConfigError(key: "\(prefix).cert_file", "cannot load a PEM certificate from \(config.certFile)")
        }
        guard !chain.isEmpty else {
            throw WebConfigError(key: "\(prefix).cert_file", "no PEM certificate in \(config.certFile)")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: config.keyFile, format: .pem)
        } catch {
            throw WebConfigError(
                key: "\(prefix).key_file",
                "cannot load an unencrypted PEM private key from \(config.keyFile)"
            )
        }
        var clientCAs: [NIOSSLCertificate] = []
        if let caFile = config.clientCAFile {
            do {
                clientCAs = try NIOSSLCertificate.fromPEMFile(caFile)
            } catch {
                throw WebConfigError(key: "\(prefix).client_ca_file", "cannot load PEM certificates from \(caFile)")
            }
            guard !clientCAs.isEmpty else {
                throw WebConfigError(key: "\(prefix).client_ca_file", "no PEM certificate in \(caFile)")
            }
        }
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) },
            privateKey: .privateKey(key)
        )
        tls.minimumTLSVersion = config.minVersion == .tls13 ? .tlsv13 : .tlsv12
        tls.maximumTLSVersion = config.maxVersion.map { $0 == .tls13 ? .tlsv13 : .tlsv12 }
        // Only the configured CAs are trusted for client certificates, never the system store.
        tls.trustRoots = .certificates(clientCAs)
        tls.sendCANameList = !clientCAs.isEmpty
        // Go's crypto/tls client-auth types in NIOSSL terms: whether a certificate is required, and whether it is
        // verified against the client CAs (or accepted as it is by the callback).
        switch config.clientAuthType {
        case .noClientCert:
            tls.certificateVerification = .none
            acceptsAnyClientCertificate = false
        case .requestClientCert:
            tls.certificateVerification = .optionalVerification
            acceptsAnyClientCertificate = true
        case .requireAnyClientCert:
            tls.certificateVerification = .noHostnameVerification
            acceptsAnyClientCertificate = true
        case .verifyClientCertIfGiven:
            tls.certificateVerification = .optionalVerification
            acceptsAnyClientCertificate = false
        case .requireAndVerifyClientCert:
            tls.certificateVerification = .noHostnameVerification
            acceptsAnyClientCertificate = false
        }
        do {
            context = try NIOSSLContext(configuration: tls)
        } catch {
            throw WebConfigError(
                key: prefix,
                "cannot set up TLS with cert_file \(config.certFile) and key_file \(config.keyFile) "
                    + "(does the key belong to the certificate?)"
            )
        }
    }

    /// A handler for one new connection.
    func makeHandler() -> NIOSSLServerHandler {
        guard acceptsAnyClientCertificate else { return NIOSSLServerHandler(context: context, configuration: .init()) }
        return NIOSSLServerHandler(
            context: context,
            customVerificationCallback: { _, promise in promise.succeed(.certificateVerified) },
            configuration: .init()
        )
    }
}

extension WebConfig {
    /// Loads the certificate, key and client CAs `tls_server_config` names and builds a TLS context from them, as the
    /// server will: a start-up check that the files exist, parse and belong together.
    public func validateTLSFiles() throws(WebConfigError) {
        if let tls { _ = try WebTLS(tls) }
    }
}
