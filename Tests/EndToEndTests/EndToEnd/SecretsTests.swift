import Foundation
import SimulatedCluster
import Testing

@testable import APISIXSyncExporter

/// The Admin API key and the Kubernetes bearer tokens never leave the process: not in logs at any level (trace
/// included), not in any endpoint's body, not in error messages (even when a proxy echoes the key back), while faults
/// make every error path run.
@Suite(.serialized) struct SecretsTests {
    static let tokenOne = "k8s-token-ONE-3f9a1c7e55d24b08"
    static let tokenTwo = "k8s-token-TWO-8b21e4d09a7c6f13"

    /// Every page the exporter serves, and the settings' descriptions.
    static func everyBody(_ h: ExporterHarness) async throws -> String {
        var bodies: [String] = ["\(h.settings)", String(reflecting: h.settings)]
        for path in [
            "/", "/metrics", "/recommendation", "/recommendation?format=yaml", "/api/v1/state", "/-/healthy",
            "/-/ready", "/nope",
        ] {
            bodies.append(try await h.get(path).body)
        }
        return bodies.joined(separator: "\n")
    }

    @Test func keysAndTokensAppearNowhereThroughFaults() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("secrets-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let tokenFile = directory.appendingPathComponent("token")
        try "\(Self.tokenOne)\n".write(to: tokenFile, atomically: true, encoding: .utf8)
        let logs = CapturedLogs()
        let secrets = [ExporterHarness.apiKey, Self.tokenOne, Self.tokenTwo, "a-wrong-admin-key-73c1"]
        var pages: [String] = []
        try await FaultMatrix.scenario(
            tokenFile: tokenFile.path,
            requiredBearerToken: Self.tokenOne,
            logger: logs.logger(level: .trace)
        ) { h in
            pages.append(try await Self.everyBody(h))

            // Kubernetes: the token is rotated on the server first (401s), then in the file.
            h.kubernetes.requiredBearerToken = Self.tokenTwo
            h.kubernetes.endWatches()
            try await h.waitForFault("kubernetes", reason: "unauthorized")
            pages.append(try await Self.everyBody(h))
            try "\(Self.tokenTwo)\n".write(to: tokenFile, atomically: true, encoding: .utf8)
            try await h.waitForSource("kubernetes", up: true)
            // A 410 in the stream and a cut stream.
            try await h.waitUntilTiming()
            let watches = h.kubernetes.statistics.watchRequests
            h.kubernetes.injectWatchError410()
            try await h.waitForFault("kubernetes", reason: "expired", down: false)
            try await h.kubernetes.waitUntil("the watch after the relist") {
                $0.watchRequests > watches && $0.openWatches >= 1
            }
            h.kubernetes.cutWatches()
            try await h.waitForFault("kubernetes", reason: "stream_cut", down: false)

            // APISIX: the key changes there (401 with "wrong apikey"), then a 500 and an HTML page.
            h.apisix.apiKey = "a-wrong-admin-key-73c1"
            try await h.waitForFault("apisix", reason: "unauthorized")
            pages.append(try await Self.everyBody(h))
            h.apisix.apiKey = ExporterHarness.apiKey
            try await h.apisix.setFault(.status(500))
            try await h.waitForFault("apisix", reason: "server_error")
            try await h.apisix.setFault(.htmlErrorPage(403))
            try await h.waitForFault("apisix", reason: "forbidden")
            pages.append(try await Self.everyBody(h))
            // Something in front echoes the request, X-API-KEY included, into its error body.
            try await h.apisix.setFault(.echoRequestHeaders(400))
            try await h.waitForFault("apisix", reason: "client_error")
            pages.append(try await Self.everyBody(h))
            try await h.apisix.setFault(.none)
            try await h.waitForSource("kubernetes", up: true)
            try await h.waitForSource("apisix", up: true)
            try await h.waitUntilTiming()
            try await FaultMatrix.startChangeInFlight(h)
            h.apisix.setNodes(id: FaultMatrix.upstreamID, nodes: Cluster.nodes([1, 2, 3, 4]))
            try await h.waitForRecords(1)
            pages.append(try await Self.everyBody(h))
        }
        let logText = logs.text
        #expect(logs.all.contains { $0.hasPrefix("trace ") || $0.hasPrefix("debug ") }, "not logging at trace")
        #expect(logText.contains("source down"))
        for secret in secrets {
            #expect(!logText.contains(secret), "\(secret) in the logs")
            for page in pages { #expect(!page.contains(secret), "\(secret) in a served page") }
        }
    }
}
