import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// The exporter's HTTP endpoints.
public enum ExporterApplication {
    /// Builds the Hummingbird application serving `/`, the telemetry path, `/recommendation`, `/api/v1/state`,
    /// `/-/healthy` and `/-/ready`, running `services` (watchers, pollers) alongside the server.
    ///
    /// - Parameter webConfig: the loaded `--web.config.file` (TLS, basic auth on every path); nil serves plain HTTP.
    ///   `web.maxRequests` limits concurrent requests either way.
    public static func build(
        web: WebSettings,
        measurement: MeasurementSettings,
        tracker: SyncTracker,
        metrics: ExporterMetrics,
        clock: any WallClock,
        services: [any Service],
        logger: Logger,
        webConfig: WebConfigStore? = nil,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        // Middlewares first: Hummingbird wraps each route in the middlewares added before it.
        router.add(middleware: RequestLimitMiddleware(limit: web.maxRequests))
        if let webConfig { router.add(middleware: BasicAuthMiddleware(store: webConfig)) }
        let json = JSONEncoder()
        json.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]

        @Sendable func recommendationDocument() async -> RecommendationDocument {
            let now = clock.now()
            return RecommendationDocument(
                overall: await tracker.recommendation(at: now),
                services: await tracker.serviceRecommendations(at: now),
                policy: measurement.recommendation,
                window: measurement.recommendationWindow
            )
        }

        router.get(RouterPath(web.telemetryPath)) { _, _ -> Response in
            // The snapshot on the tracker, the rendering off it.
            var snapshot = await tracker.gaugeSnapshot(at: clock.now())
            snapshot.process = ProcessMetrics.current()
            // Rendered while it is written: one chunk at a time is held, not the whole text.
            let gauges = snapshot
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody { writer in
                    for chunk in metrics.exposition(gauges: gauges, chunkSize: Exposition.defaultChunkSize) {
                        try await writer.write(chunk)
                    }
                    try await writer.finish(nil)
                }
            )
        }
        router.get("/recommendation") { request, _ -> Response in
            let document = await recommendationDocument()
            if request.uri.queryParameters.get("format") == "yaml" {
                return Response(
                    status: .ok,
                    headers: [.contentType: "application/yaml; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: document.yaml))
                )
            }
            return try jsonResponse(document, encoder: json)
        }
        router.get("/api/v1/state") { _, _ -> Response in
            try jsonResponse(await tracker.state(at: clock.now()), encoder: json)
        }
        router.get("/api/v1/workloads") { _, _ -> Response in
            try jsonResponse(await tracker.workloads(at: clock.now()), encoder: json)
        }
        router.get("/-/healthy") { _, _ -> Response in
            Response(
                status: .ok,
                headers: [.contentType: "text/plain"],
                body: .init(byteBuffer: ByteBuffer(string: "Healthy\n"))
            )
        }
        router.get("/-/ready") { _, _ -> Response in
            let ready = await tracker.isReady
            return Response(
                status: ready ? .ok : .serviceUnavailable,
                headers: [.contentType: "text/plain"],
                body: .init(byteBuffer: ByteBuffer(string: ready ? "Ready\n" : "Not ready\n"))
            )
        }
        if web.telemetryPath != "/" {
            router.get("/") { _, _ -> Response in
                let page = StatusPage.render(
                    await tracker.statusSnapshot(at: clock.now()),
                    telemetryPath: web.telemetryPath
                )
                return Response(
                    status: .ok,
                    headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                    body: .init(byteBuffer: ByteBuffer(string: page))
                )
            }
        }
        return Application(
            router: router,
            server: .exporter(webConfig: webConfig),
            configuration: .init(
                address: .hostname(
                    web.listenHost.isEmpty ? "0.0.0.0" : web.listenHost,
                    port: web.listenPort
                ),
                serverName: "apisix-sync-exporter"
            ),
            services: services,
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }

    private static func jsonResponse(_ value: some Encodable, encoder: JSONEncoder) throws -> Response {
        var data = try encoder.encode(value)
        data.append(UInt8(ascii: "\n"))
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
