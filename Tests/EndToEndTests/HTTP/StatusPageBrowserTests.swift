import Foundation
import SimulatedCluster
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// The status page in a real browser: the real exporter against the in-process fakes, loaded in headless Chromium;
/// the assertions read the DOM Chromium built, and screenshots land in `.build/status-page/` for people to look at.
/// Outside CI the suite is skipped when Chromium is missing; in CI (`CI=true`) that fails it.
@Suite(.serialized, .enabled(if: HeadlessChromium.shouldRun, "needs chromium (apt-get install chromium)"))
struct StatusPageBrowserTests {
    static let output = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/status-page")

    func chromium() throws -> HeadlessChromium {
        let chromium = HeadlessChromium.locate()
        return try #require(chromium, "chromium is required in CI (apt-get install chromium)")
    }

    func outputPath(_ name: String) throws -> String {
        try FileManager.default.createDirectory(at: Self.output, withIntermediateDirectories: true)
        return Self.output.appendingPathComponent(name).path
    }

    /// A Service of the simulated cluster: one slice, one APISIX upstream named as ingress-controller 1.x does.
    struct SimulatedService {
        var namespace: String
        var name: String
        var nodes: [Int]

        /// `{namespace="…",service="…",change="…"}`.
        func labels(change: String) -> String {
            "{namespace=\"\(namespace)\",service=\"\(name)\",change=\"\(change)\"}"
        }

        var upstreamID: FakeUpstream.ID { .string("\(namespace)-\(name)") }

        func slice(ready: [Int], terminating: [Int] = []) -> FakeEndpointSlice {
            FakeEndpointSlice(
                namespace: namespace,
                name: "\(name)-a",
                serviceName: name,
                endpoints: ready.map { FakeEndpoint.ready(Cluster.ip($0)) }
                    + terminating.map { FakeEndpoint.terminating(Cluster.ip($0)) },
                ports: [FakeEndpointPort(name: "http", port: 8080)]
            )
        }

        var upstream: FakeUpstream {
            Cluster.upstream(id: upstreamID, name: "\(namespace)_\(name)_80", nodes: nodes)
        }
    }

    static let web = SimulatedService(namespace: "shop", name: "web", nodes: Array(1...12))
    static let cart = SimulatedService(namespace: "shop", name: "cart", nodes: Array(21...30))
    static let checkout = SimulatedService(namespace: "payments", name: "checkout", nodes: Array(41...46))

    /// Ends `nodes` of `service` in Kubernetes and lets APISIX follow after `delay` seconds, except for `lagging`
    /// nodes, which it keeps routing to (stale).
    func remove(
        _ nodes: [Int],
        from ready: [Int],
        of service: SimulatedService,
        after delay: Double,
        keeping lagging: [Int] = [],
        in h: ExporterHarness
    ) async throws {
        let start = ContinuousClock.now
        let remaining = ready.filter { !nodes.contains($0) }
        _ = h.kubernetes.apply(service.slice(ready: remaining, terminating: nodes))
        try await waitForPending(service, change: "remove", count: nodes.count, in: h)
        try await Task.sleep(until: start + .milliseconds(Int(delay * 1000)), clock: .continuous)
        h.apisix.setNodes(id: service.upstreamID, nodes: Cluster.nodes(remaining + lagging))
    }

    func waitForPending(_ service: SimulatedService, change: String, count: Int, in h: ExporterHarness) async throws {
        let series = "apisix_sync_pending_changes" + service.labels(change: change)
        try await h.waitForMetrics("\(count) pending \(change) for \(service.name)") { text in
            (ExporterHarness.value(of: series, in: text) ?? 0) >= Double(count)
        }
    }

    func waitForSamples(_ service: SimulatedService, change: String, count: Int, in h: ExporterHarness) async throws {
        try await h.waitForMetric(
            "apisix_sync_lag_seconds_count" + service.labels(change: change),
            atLeast: Double(count)
        )
    }

    /// Quick removals in two batches, then two additions.
    func simulateWeb(_ h: ExporterHarness) async throws {
        try await remove([1, 2, 3, 4], from: Self.web.nodes, of: Self.web, after: 0.3, in: h)
        try await waitForSamples(Self.web, change: "remove", count: 4, in: h)
        try await remove([5, 6, 7, 8], from: Array(5...12), of: Self.web, after: 0.6, in: h)
        try await waitForSamples(Self.web, change: "remove", count: 8, in: h)
        let start = ContinuousClock.now
        _ = h.kubernetes.apply(Self.web.slice(ready: Array(9...14)))
        try await waitForPending(Self.web, change: "add", count: 2, in: h)
        try await Task.sleep(until: start + .milliseconds(400), clock: .continuous)
        h.apisix.setNodes(id: Self.web.upstreamID, nodes: Cluster.nodes(Array(9...14)))
        try await waitForSamples(Self.web, change: "add", count: 2, in: h)
    }

    /// Slower removals, and APISIX keeps routing to one of the removed nodes.
    func simulateCart(_ h: ExporterHarness) async throws {
        try await remove(Array(21...26), from: Self.cart.nodes, of: Self.cart, after: 0.9, keeping: [26], in: h)
        try await waitForSamples(Self.cart, change: "remove", count: 5, in: h)
    }

    /// Removals slower than the configured 2 s.
    func simulateCheckout(_ h: ExporterHarness) async throws {
        try await remove([41, 42, 43], from: Self.checkout.nodes, of: Self.checkout, after: 2.3, in: h)
        try await waitForSamples(Self.checkout, change: "remove", count: 3, in: h)
    }

    @Test(.timeLimit(.minutes(3))) func theExportersPageRendersInChromium() async throws {
        let browser = try chromium()
        let services = [Self.web, Self.cart, Self.checkout]
        let h = try await ExporterHarness.start(
            configure: { settings in
                settings.measurement.recommendation.configuredDelay = 2
                settings.measurement.recommendation.minSamples = 12
            },
            prepare: { kubernetes, apisix in
                for service in services {
                    _ = kubernetes.apply(service.slice(ready: service.nodes))
                    apisix.putUpstream(service.upstream)
                }
            }
        )
        do {
            try await h.waitUntilReady()
            try await h.waitUntilTiming()
            // The simulated ingress controller: quick for web, slower for cart (and it forgets a node), slow for
            // checkout, which makes the configured 2 s not enough.
            async let web: Void = simulateWeb(h)
            async let cart: Void = simulateCart(h)
            async let checkout: Void = simulateCheckout(h)
            _ = try await (web, cart, checkout)

            let url = "http://127.0.0.1:\(h.port)/"
            let direct = try await h.get("/")
            #expect(direct.status == 200)
            #expect(direct.contentType == "text/html; charset=utf-8")

            let dom = HTMLProbe(try await browser.dumpDOM(url))
            #expect(!dom.html.contains("<script"))
            // The verdict: 16 removals, p99 ≈ 2.3 s, so ceil(2.3 + 1) = 4 s > the configured 2 s.
            let verdict = try #require(dom.element(containing: "id=\"verdict\"", name: "section"))
            #expect(verdict.contains("data-verdict=\"not_enough\""))
            #expect(verdict.contains("Your preStop delay of 2 s is not enough"))
            #expect(verdict.contains("Raise the preStop sleep to <strong>4 s</strong>"))
            #expect(verdict.contains("3 removals took longer than 2 s"))

            // The chart, with the quantile right of the configured delay.
            let chart = try #require(dom.element(containing: "id=\"removal-lag-chart\"", name: "svg"))
            let chartProbe = HTMLProbe(String(chart))
            #expect(chart.contains("role=\"img\""))
            let bars = chartProbe.tags(containing: "class=\"bar")
            #expect(bars.compactMap { HTMLProbe.attribute("data-count", in: $0).flatMap(Int.init) }.reduce(0, +) == 16)
            func x(_ mark: String) throws -> Double {
                let tag = try #require(chartProbe.tag(containing: "data-mark=\"\(mark)\""), "no \(mark) mark")
                return try #require(HTMLProbe.attribute("x1", in: tag).flatMap { Double($0.dropLast()) })
            }
            let delay = try x("configured-delay")
            #expect(try x("recommendation") > delay)
            #expect(try x("prestop") > x("recommendation"))
            #expect(dom.tag(containing: "id=\"addition-lag-chart\"") != nil)

            // One row per simulated Service, inside the table (the parser did not move them out).
            let table = try #require(dom.element(containing: "id=\"services\"", name: "table"))
            let rows = HTMLProbe(String(table)).tags(containing: "<tr data-service=").compactMap {
                HTMLProbe.attribute("data-service", in: $0)
            }
            #expect(rows == ["payments/checkout", "shop/cart", "shop/web"])
            let cartRow = try #require(dom.element(containing: "data-service=\"shop/cart\"", name: "tr"))
            #expect(cartRow.contains("<td class=\"tone-warn\">1</td>"), "cart keeps one stale node: \(cartRow)")

            // Source health for Kubernetes and the APISIX target.
            for source in ["kubernetes/127.0.0.1:\(h.kubernetes.port)", "apisix/127.0.0.1:\(h.apisix.port)"] {
                let row = try #require(dom.element(containing: "data-source=\"\(source)\"", name: "tr"), "\(source)")
                #expect(row.contains(">up</span>"))
            }
            #expect(dom.html.contains("lifecycle:") && dom.html.contains("seconds: 4"))

            try await browser.screenshot(url, to: try outputPath("exporter-wide.png"), width: 1280, height: 2000)
            try await browser.screenshot(url, to: try outputPath("exporter-phone.png"), width: 390, height: 844)
            try await browser.screenshot(url, to: try outputPath("exporter-phone-full.png"), width: 390, height: 3000)
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    @Test(.timeLimit(.minutes(3))) func fixturesRenderInChromium() async throws {
        let browser = try chromium()
        let hostile = StatusPageFixtures.snapshot(
            services: [
                .init(namespace: "x", name: "<script>document.title='pwned'</script><img src=x>", removals: [1])
            ],
            sources: [
                .init(
                    source: "apisix",
                    target: "a:9180",
                    up: false,
                    lastSuccess: nil,
                    lastError: "bad_response: <script>alert(1)</script>",
                    errors: 3
                )
            ]
        )
        let fixtures: [(String, StatusSnapshot)] = [
            ("empty", StatusPageFixtures.snapshot()),
            ("enough", StatusPageFixtures.enough),
            ("not-enough", StatusPageFixtures.notEnough),
            ("hostile", hostile),
        ]
        // Every state as a file to open; the DOM check for the hostile one (a real parser must not find markup in
        // names and errors), screenshots for the insufficient-data state the exporter test does not reach. Few
        // browser runs: Chromium is heavy on two cores, and other suites time real delays.
        for (name, snapshot) in fixtures {
            try StatusPage.render(snapshot, telemetryPath: "/metrics").write(
                toFile: try outputPath("fixture-\(name).html"),
                atomically: true,
                encoding: .utf8
            )
        }
        let hostileURL = URL(fileURLWithPath: try outputPath("fixture-hostile.html")).absoluteString
        let dom = HTMLProbe(try await browser.dumpDOM(hostileURL))
        #expect(!dom.html.contains("<script"))
        #expect(!dom.html.contains("<img"))
        #expect(!dom.html.contains("pwned</title>"))
        #expect(dom.html.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;&lt;img src=x&gt;"))
        #expect(dom.tag(containing: "data-service=\"x/&lt;script&gt;") != nil)
        #expect(dom.tag(containing: "data-verdict=\"insufficient_data\"") != nil)

        let emptyURL = URL(fileURLWithPath: try outputPath("fixture-empty.html")).absoluteString
        try await browser.screenshot(emptyURL, to: try outputPath("fixture-empty-wide.png"), width: 1280, height: 2000)
        try await browser.screenshot(emptyURL, to: try outputPath("fixture-empty-phone.png"), width: 390, height: 844)
    }
}
