import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Testing

@testable import APISIXSyncExporter

/// The Admin API client's own keep-alive, pipelined connections, against a scripted server (https: AdminHTTPSTests).
@Suite struct AdminHTTPConnectionTests {
    static func withServer(_ body: (ScriptedHTTPServer) async throws -> Void) async throws {
        let server = try await ScriptedHTTPServer.start()
        do {
            try await body(server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    static func client(
        _ url: String,
        maxResponseBytes: Int = 1 << 20,
        timeout: TimeAmount = .seconds(10)
    ) throws -> APISIXAdminClient {
        let target = try #require(APISIXTarget(adminURL: url))
        return APISIXAdminClient(
            target: target,
            apiKey: "secret",
            maxResponseBytes: maxResponseBytes,
            requestTimeout: timeout
        )
    }

    static func text(_ client: APISIXAdminClient, _ path: String) async throws -> String {
        String(decoding: try await client.transport.get(path), as: UTF8.self)
    }

    static func failure(_ client: APISIXAdminClient, _ path: String) async -> SourceFailure? {
        do {
            _ = try await client.transport.get(path)
            return nil
        } catch {
            return error
        }
    }

    @Test func httpAndHTTPSTargetsUseTheOwnConnections() throws {
        #expect(try Self.client("http://127.0.0.1:9180").transport.pool?.endpoint.tls == false)
        #expect(try Self.client("https://127.0.0.1:9180").transport.pool?.endpoint.tls == true)
        let endpoint = try #require(AdminHTTPConnectionPool.Endpoint(url: "http://[::1]:9180/prefix/"))
        #expect(endpoint.host == "::1")
        #expect(endpoint.basePath == "/prefix")
        #expect(endpoint.hostHeader == "[::1]:9180")
    }

    @Test func reusesOneKeepAliveConnectionAndSendsTheHeaders() async throws {
        try await Self.withServer { server in
            let client = try Self.client(server.url)
            defer { client.shutdown() }
            for n in 0..<5 {
                #expect(try await Self.text(client, "/echo/\(n)") == "\(n)")
            }
            let seen = server.seen
            #expect(seen.connections == 1)
            #expect(seen.requests == 5)
            #expect(seen.headers.allSatisfy { $0.first(name: "X-API-KEY") == "secret" })
            #expect(seen.headers.allSatisfy { $0.first(name: "Accept") == "application/json" })
            #expect(seen.headers.allSatisfy { $0.first(name: "Host") == "127.0.0.1:\(server.port)" })
        }
    }

    @Test func pipelinesConcurrentRequestsOnOneConnectionInOrder() async throws {
        try await Self.withServer { server in
            let endpoint = try #require(AdminHTTPConnectionPool.Endpoint(url: server.url))
            let pool = AdminHTTPConnectionPool(endpoint: endpoint, maxBodyBytes: 1024)
            defer { pool.shutdown() }
            // The server answers only once all five arrived on the connection: they must be outstanding together.
            let promises = (0..<5).map { n in
                pool.execute(method: .GET, path: "/held/5/r\(n)", headers: [:], deadline: .now() + .seconds(10))
            }
            var bodies: [String] = []
            for promise in promises {
                let response = try await promise.futureResult.get()
                #expect(response.status == 200)
                bodies.append(String(buffer: response.body))
            }
            #expect(bodies == ["r0", "r1", "r2", "r3", "r4"])
            #expect(server.seen.connections == 1)
            #expect(try await pool.connectionCount().get() == 1)
        }
    }

    @Test func aBodyAboveTheLimitIsTooLargeAndTheClientRecovers() async throws {
        try await Self.withServer { server in
            let client = try Self.client(server.url, maxResponseBytes: 100)
            defer { client.shutdown() }
            #expect(try await Self.text(client, "/big/100") == String(repeating: "x", count: 100))
            let declared = await Self.failure(client, "/big/101")
            #expect(declared == SourceFailure(.tooLarge, "response body larger than 100 bytes"))
            let chunked = await Self.failure(client, "/chunked/1024")
            #expect(chunked == SourceFailure(.tooLarge, "response body larger than 100 bytes"))
            #expect(try await Self.text(client, "/echo/after") == "after")
        }
    }

    @Test func connectionRefusedIsAConnectionFailure() async throws {
        let server = try await ScriptedHTTPServer.start()
        let url = server.url
        await server.stop()
        let client = try Self.client(url)
        defer { client.shutdown() }
        let failure = await Self.failure(client, "/echo/x")
        #expect(failure?.reason == .connection)
    }

    @Test func aRequestWithoutAnswerTimesOutAndTheNextOneWorks() async throws {
        try await Self.withServer { server in
            let client = try Self.client(server.url, timeout: .milliseconds(300))
            defer { client.shutdown() }
            let failure = await Self.failure(client, "/hang")
            #expect(failure == SourceFailure(.timeout, "deadline exceeded"))
            #expect(try await Self.text(client, "/echo/next") == "next")
            #expect(server.seen.connections == 2)
        }
    }

    @Test func aServerClosingMidAnswerCutsTheStream() async throws {
        try await Self.withServer { server in
            let client = try Self.client(server.url)
            defer { client.shutdown() }
            let failure = await Self.failure(client, "/cut")
            #expect(failure == SourceFailure(.streamCut, "connection closed by the server"))
            #expect(try await Self.text(client, "/echo/again") == "again")
        }
    }

    @Test func aConnectionCloseAnswerIsReadAndTheNextRequestReconnects() async throws {
        try await Self.withServer { server in
            let client = try Self.client(server.url)
            defer { client.shutdown() }
            #expect(try await Self.text(client, "/close/last") == "last")
            #expect(try await Self.text(client, "/echo/fresh") == "fresh")
            #expect(server.seen.connections == 2)
        }
    }

    @Test func statusCodesMapToReasons() async throws {
        try await Self.withServer { server in
            let client = try Self.client(server.url)
            defer { client.shutdown() }
            let notFound = await Self.failure(client, "/status/404")
            #expect(notFound == SourceFailure(.notFound, "HTTP 404 from /status/404: scripted"))
            let serverError = await Self.failure(client, "/status/500")
            #expect(serverError == SourceFailure(.serverError, "HTTP 500 from /status/500: scripted"))
            let unavailable = try await client.transport.fetch("/status/503")
            #expect(unavailable.status == 503)
            #expect(server.seen.connections == 1)
        }
    }

    @Test func headAnswersHaveNoBodyAndKeepTheConnection() async throws {
        try await Self.withServer { server in
            let client = try Self.client(server.url)
            defer { client.shutdown() }
            let head = try await client.transport.fetch("/echo/abc", method: .HEAD)
            #expect(head.status == 200)
            #expect(head.body.isEmpty)
            #expect(try await Self.text(client, "/echo/def") == "def")
            #expect(server.seen.connections == 1)
        }
    }

    @Test func cancellingTheCallerFailsItsRequest() async throws {
        try await Self.withServer { server in
            let client = try Self.client(server.url)
            defer { client.shutdown() }
            let task = Task { await Self.failure(client, "/hang") }
            task.cancel()
            #expect(await task.value == SourceFailure(.connection, "cancelled"))
        }
    }
}
