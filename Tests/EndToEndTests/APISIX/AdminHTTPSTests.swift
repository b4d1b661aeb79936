import Foundation
import NIOCore
import NIOSSL
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// https targets go over the same pipelined connections as plain http, through NIOSSL (issue #14), with a CA made by
/// the `openssl` CLI at test time.
@Suite(.enabled(if: ExternalTool.isCI || WebConfigTestCA.openssl != nil, "openssl is not installed"))
struct AdminHTTPSTests {
    /// A scripted server speaking TLS with a certificate for `localhost` and `127.0.0.1`, the CA that issued it, and
    /// a CA that did not.
    static func withTLSServer(
        _ body: (ScriptedHTTPServer, _ trusted: TLSConfiguration, _ stranger: TLSConfiguration) async throws -> Void
    ) async throws {
        let directory = try WebConfigTestFiles.temporaryDirectory()
        defer { WebConfigTestFiles.remove(directory) }
        let ca = try WebConfigTestCA.make("apisix", in: directory)
        let leaf = try ca.issue("apisix-admin", usage: "serverAuth")
        let other = try WebConfigTestCA.make("other", in: directory)
        let server = try await ScriptedHTTPServer.start(
            tls: .makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(leaf.certificate).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: leaf.key, format: .pem))
            )
        )
        do {
            try await body(
                server,
                try WebConfigTestClient.tls(trusting: ca.certificate),
                try WebConfigTestClient.tls(trusting: other.certificate)
            )
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    static func client(_ url: String, tls: TLSConfiguration) -> APISIXHTTPTransport {
        APISIXHTTPTransport(
            baseURL: url,
            apiKey: "secret",
            maxResponseBytes: 1 << 20,
            requestTimeout: .seconds(10),
            tlsConfiguration: tls
        )
    }

    @Test func httpsTargetsUseTheOwnConnectionsWithTLS() throws {
        let endpoint = try #require(AdminHTTPConnectionPool.Endpoint(url: "https://apisix.example:9443/"))
        #expect(endpoint.tls)
        #expect(endpoint.serverHostname == "apisix.example")
        #expect(try #require(AdminHTTPConnectionPool.Endpoint(url: "https://127.0.0.1")).port == 443)
        #expect(try #require(AdminHTTPConnectionPool.Endpoint(url: "https://127.0.0.1")).serverHostname == nil)
        #expect(try #require(AdminHTTPConnectionPool.Endpoint(url: "http://127.0.0.1")).tls == false)
    }

    @Test(arguments: ["localhost", "127.0.0.1"])
    func pipelinesOverOneTLSConnection(host: String) async throws {
        try await Self.withTLSServer { server, trusted, _ in
            let transport = Self.client("https://\(host):\(server.port)", tls: trusted)
            defer { transport.shutdown() }
            let first = try await Self.text(transport, "/echo/first")
            #expect(first == "first")
            let answers = await transport.getAll((0..<5).map { "/held/5/r\($0)" }, now: { 0 })
            let bodies = answers.map { answer in
                (try? answer.get()).map { String(decoding: $0.response.body, as: UTF8.self) } ?? "failed"
            }
            #expect(bodies == ["r0", "r1", "r2", "r3", "r4"])
            let notFound = await Self.failure(transport, "/status/404")
            #expect(notFound == SourceFailure(.notFound, "HTTP 404 from /status/404: scripted"))
            let seen = server.seen
            #expect(seen.connections == 1)
            #expect(seen.headers.allSatisfy { $0.first(name: "X-API-KEY") == "secret" })
            #expect(seen.headers.allSatisfy { $0.first(name: "Host") == "\(host):\(server.port)" })
        }
    }

    @Test func anUntrustedCertificateIsAConnectionFailureAndNoRequestIsSeen() async throws {
        try await Self.withTLSServer { server, _, stranger in
            let transport = Self.client("https://localhost:\(server.port)", tls: stranger)
            defer { transport.shutdown() }
            let failure = await Self.failure(transport, "/echo/x")
            #expect(failure?.reason == .connection)
            #expect(failure?.message.hasPrefix("TLS: ") == true)
            #expect(server.seen.requests == 0)
        }
    }

    @Test func aConnectionCloseAnswerOverTLSIsReadAndTheNextRequestReconnects() async throws {
        try await Self.withTLSServer { server, trusted, _ in
            let transport = Self.client("https://localhost:\(server.port)", tls: trusted)
            defer { transport.shutdown() }
            let last = try await Self.text(transport, "/close/last")
            let fresh = try await Self.text(transport, "/echo/fresh")
            #expect(last == "last")
            #expect(fresh == "fresh")
            #expect(server.seen.connections == 2)
        }
    }

    static func text(_ transport: APISIXHTTPTransport, _ path: String) async throws -> String {
        String(decoding: try await transport.get(path), as: UTF8.self)
    }

    static func failure(_ transport: APISIXHTTPTransport, _ path: String) async -> SourceFailure? {
        do {
            _ = try await transport.get(path)
            return nil
        } catch {
            return error
        }
    }
}
