import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// A kubeconfig's `tls-server-name` against a TLS server whose certificate holds `DNS:kube.test` only, reached at
/// 127.0.0.1 (a scripted server: the fake Kubernetes API has no TLS): the request goes to the server's address with
/// the name as SNI and `Host`, and the certificate is checked against the name.
@Suite(.enabled(if: ExternalTool.isCI || WebConfigTestCA.openssl != nil, "openssl is not installed"))
struct KubernetesTLSServerNameTests {
    /// The failure of one EndpointSlice list through the exporter's own HTTP client settings for `kubeconfig`.
    static func listFailure(
        kubeconfig: String,
        in directory: String
    ) async throws -> (KubernetesConnection, SourceFailure?) {
        let path = directory + "/kubeconfig"
        try WebConfigTestFiles.write(kubeconfig, to: path)
        let connection = try KubernetesConnection.resolve(kubeconfigPath: path, context: nil, environment: [:])
        let http = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: KubernetesClient.httpConfiguration(for: connection)
        )
        var client = KubernetesClient(connection: connection, http: http)
        client.listTimeout = .seconds(3)  // AHC retries a failed handshake until the request's deadline
        var failure: SourceFailure?
        do {
            _ = try await client.list(namespace: nil)
        } catch {
            failure = error
        }
        try await http.shutdown()
        return (connection, failure)
    }

    static func kubeconfig(port: Int, ca: String, serverName: String?) -> String {
        """
        current-context: only
        clusters:
        - name: c
          cluster:
            server: https://127.0.0.1:\(port)
            certificate-authority: \(ca)
        \(serverName.map { "    tls-server-name: \($0)" } ?? "")
        contexts:
        - name: only
          context: {cluster: c}
        """
    }

    @Test func theServerNameIsWhatTheCertificateIsCheckedAgainst() async throws {
        let directory = try WebConfigTestFiles.temporaryDirectory()
        defer { WebConfigTestFiles.remove(directory) }
        let ca = try WebConfigTestCA.make("kube", in: directory)
        let leaf = try ca.issue("apiserver", usage: "serverAuth", names: "DNS:kube.test")
        let server = try await ScriptedHTTPServer.start(
            tls: .makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(leaf.certificate).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: leaf.key, format: .pem))
            )
        )
        do {
            try await Self.check(server, ca: ca, in: directory)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    private static func check(_ server: ScriptedHTTPServer, ca: WebConfigTestCA, in directory: String) async throws {
        // Without the name the certificate is checked against 127.0.0.1: the handshake fails, no request arrives.
        let (plain, refused) = try await listFailure(
            kubeconfig: kubeconfig(port: server.port, ca: ca.certificate, serverName: nil),
            in: directory
        )
        #expect(plain.dnsOverride.isEmpty)
        #expect(plain.requestServer == plain.server)
        #expect(refused?.reason == .connection, "\(String(describing: refused))")
        #expect(server.seen.requests == 0)

        // With it the request arrives over TLS (the scripted server has no list: 404 is its answer).
        let (named, answered) = try await listFailure(
            kubeconfig: kubeconfig(port: server.port, ca: ca.certificate, serverName: "Kube.Test"),
            in: directory
        )
        #expect(named.server == "https://127.0.0.1:\(server.port)")
        #expect(named.requestServer == "https://kube.test:\(server.port)")
        #expect(named.dnsOverride == ["kube.test": "127.0.0.1"])
        #expect(named.description.contains("(https://127.0.0.1:\(server.port))"))
        #expect(answered?.reason == .notFound, "\(String(describing: answered))")
        #expect(server.seen.requests == 1)
        #expect(server.seen.headers.last?.first(name: "Host") == "kube.test:\(server.port)")
    }
}
