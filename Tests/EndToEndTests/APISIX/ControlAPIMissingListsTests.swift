import Foundation
import SimulatedCluster
import Testing

@testable import APISIXSyncExporter

/// A Control API without `/v1/routes` and `/v1/services` (an older APISIX): no inline upstreams to resolve, logged once
/// per change; `/v1/upstreams` missing is still a failure.
@Suite struct ControlAPIMissingListsTests {
    static func source(
        _ fake: FakeAPISIXAdmin,
        controlURL: String?,
        logs: CapturedLogs
    ) throws -> APISIXSource {
        let target = try #require(APISIXTarget(adminURL: fake.baseURL, controlURL: controlURL, view: .control))
        let client = APISIXAdminClient(target: target, apiKey: nil, maxResponseBytes: 1 << 20)
        return APISIXSource(admin: client, logger: logs.logger(level: .info))
    }

    @Test func missingRoutesAndServicesReadAsNoneAndAreLoggedOncePerChange() async throws {
        let fake = FakeAPISIXAdmin(configuration: .init(controlPort: 0, controlAPIServesRoutesAndServices: false))
        fake.putUpstream(FakeUpstream(id: "u1", nodes: .array([.init(host: "10.0.0.1", port: 80)])))
        let inline = FakeUpstream(id: "r1", nodes: .array([.init(host: "10.0.0.2", port: 80)]))
        fake.putRoute(FakeRoute(id: "r1", uri: "/", upstream: inline))
        try await fake.start()
        let logs = CapturedLogs()
        let source = try Self.source(fake, controlURL: fake.controlBaseURL, logs: logs)
        defer { source.shutdown() }
        do {
            var state = APISIXRefreshState()
            // 404 on both lists: the upstream objects are measured, the route's inline upstream is not seen.
            #expect(try await source.refresh(&state).map(\.id) == ["u1"])
            #expect(state.missingControlLists == ["/v1/routes", "/v1/services"])
            #expect(logs.all.count == 1)
            #expect(logs.text.hasPrefix("warning Control API answers 404 on /v1/routes and /v1/services"))
            #expect(logs.text.contains("paths=/v1/routes,/v1/services"))
            // Still missing: nothing more is logged.
            #expect(try await source.refresh(&state).map(\.id) == ["u1"])
            #expect(logs.all.count == 1)
            // Served again: the inline upstream is in use, one line says so.
            fake.controlAPIServesRoutesAndServices = true
            #expect(try await source.refresh(&state).map(\.id) == ["u1", "route/r1"])
            #expect(state.missingControlLists.isEmpty)
            #expect(logs.all.count == 2)
            #expect(logs.all.last?.hasPrefix("info Control API serves /v1/routes and /v1/services again") == true)
            _ = try await source.refresh(&state)
            #expect(logs.all.count == 2)
        } catch {
            await fake.stop()
            throw error
        }
        await fake.stop()
    }

    @Test func aMissingUpstreamListIsStillAFailure() async throws {
        let fake = FakeAPISIXAdmin(configuration: .init(controlPort: 0))
        try await fake.start()
        let logs = CapturedLogs()
        // The Admin API's port answers 404 on every /v1 path, /v1/upstreams included.
        let source = try Self.source(fake, controlURL: fake.baseURL, logs: logs)
        defer { source.shutdown() }
        var state = APISIXRefreshState()
        do {
            _ = try await source.refresh(&state)
            Issue.record("a Control API without /v1/upstreams was read")
        } catch {
            #expect(error.reason == .notFound)
            #expect(error.message.contains("/v1/upstreams"))
        }
        #expect(state.missingControlLists.isEmpty)
        #expect(logs.all.isEmpty)
        await fake.stop()
    }
}
