import Foundation
import Testing

@testable import APISIXSyncExporter

@Suite struct StatusPageTests {
    func render(_ snapshot: StatusSnapshot, telemetryPath: String = "/metrics") -> HTMLProbe {
        HTMLProbe(StatusPage.render(snapshot, telemetryPath: telemetryPath))
    }

    /// The x position of a mark line, in percent.
    func markX(_ page: HTMLProbe, _ name: String) throws -> Double {
        let tag = try #require(page.tag(containing: "data-mark=\"\(name)\""), "no \(name) mark")
        let x1 = try #require(HTMLProbe.attribute("x1", in: tag))
        #expect(HTMLProbe.attribute("x2", in: tag) == x1, "the \(name) mark is vertical")
        return try #require(Double(x1.dropLast()), "x1=\(x1)")
    }

    @Test func isASelfContainedRefreshingDocument() {
        let page = render(StatusPageFixtures.enough)
        #expect(page.html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(page.html.contains("<meta http-equiv=\"refresh\" content=\"5\">"))
        #expect(page.html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"))
        #expect(page.html.contains("<title>"))
        #expect(page.html.contains("@media (prefers-color-scheme:dark)"))
        #expect(!page.html.contains("<script"))
        #expect(!page.html.contains("<link"))
        #expect(page.values(of: "src").isEmpty)
        #expect(!page.html.contains("http://") && !page.html.contains("https://") && !page.html.contains("//cdn"))
    }

    @Test func everyLinkIsRelativeAndTheMetricsLinkFollowsTheTelemetryPath() {
        let page = render(StatusPageFixtures.enough, telemetryPath: "/custom/metrics")
        let hrefs = page.values(of: "href")
        #expect(!hrefs.isEmpty)
        for href in hrefs { #expect(href.hasPrefix("./"), "href \(href)") }
        for expected in [
            "./custom/metrics", "./recommendation", "./recommendation?format=yaml", "./api/v1/state", "./-/healthy",
            "./-/ready",
        ] {
            #expect(hrefs.contains(expected), "missing link \(expected)")
        }
        #expect(!hrefs.contains("./metrics"))
        #expect(render(StatusPageFixtures.enough).values(of: "href").contains("./metrics"))
    }

    @Test func withoutSamplesTheVerdictIsInsufficientData() throws {
        let page = render(StatusPageFixtures.snapshot())
        let verdict = try #require(page.element(containing: "id=\"verdict\"", name: "section"))
        #expect(verdict.contains("data-verdict=\"insufficient_data\""))
        #expect(verdict.contains("Insufficient data"))
        #expect(verdict.contains("0 of 20 removal samples"))
        #expect(verdict.contains("Keep your current preStop delay (5 s)"))
        // The chart is there, empty, with the configured delay but no quantile to mark.
        #expect(page.tag(containing: "id=\"removal-lag-chart\"") != nil)
        #expect(page.html.contains("No removals measured yet"))
        #expect(page.tag(containing: "data-mark=\"configured-delay\"") != nil)
        #expect(page.tag(containing: "data-mark=\"recommendation\"") == nil)
        #expect(page.tag(containing: "data-mark=\"prestop\"") == nil)
        #expect(page.count("<tr data-service=") == 0)
        #expect(page.html.contains("No Services are mapped to APISIX upstreams yet."))
        #expect(page.html.contains("insufficient data for a recommendation yet"))
    }

    @Test func aFewSamplesAreStillInsufficientButShowTheQuantileSoFar() throws {
        let snapshot = StatusPageFixtures.snapshot(services: [.init(name: "web", removals: [0.4, 0.6, 0.9])])
        let page = render(snapshot)
        let verdict = try #require(page.element(containing: "id=\"verdict\"", name: "section"))
        #expect(verdict.contains("data-verdict=\"insufficient_data\""))
        #expect(verdict.contains("3 of 20 removal samples"))
        #expect(verdict.contains("p99 so far: 900 ms"))
        #expect(page.tag(containing: "data-mark=\"recommendation\"") != nil)
        #expect(page.tag(containing: "data-mark=\"prestop\"") == nil)
    }

    @Test func enoughSaysSoAndRecommendsTheCeiling() throws {
        let page = render(StatusPageFixtures.enough)
        let verdict = try #require(page.element(containing: "id=\"verdict\"", name: "section"))
        #expect(verdict.contains("data-verdict=\"enough\""))
        #expect(verdict.contains("Your preStop delay of 5 s is enough"))
        #expect(verdict.contains("Recommended sleep: <strong>3 s</strong> (p99 + 1 s margin, rounded up)"))
        #expect(verdict.contains("20 <small>of 20 min</small>"))
        #expect(page.html.contains("<title>preStop 5 s enough (recommended 3 s) · APISIX sync lag</title>"))
        let yaml = try #require(page.element(containing: "id=\"recommendation-yaml\"", name: "pre"))
        #expect(yaml.contains("seconds: 3\n"))
        #expect(yaml.contains("terminationGracePeriodSeconds: 30"))
        #expect(page.tag(containing: "data-mark=\"prestop\"") != nil)
    }

    @Test func notEnoughSaysWhatToRaiseItTo() throws {
        let page = render(StatusPageFixtures.notEnough)
        let verdict = try #require(page.element(containing: "id=\"verdict\"", name: "section"))
        #expect(verdict.contains("data-verdict=\"not_enough\""))
        #expect(verdict.contains("Your preStop delay of 2 s is not enough"))
        #expect(verdict.contains("Raise the preStop sleep to <strong>4 s</strong>"))
        #expect(verdict.contains("4 removals took longer than 2 s"))
        // The Service that caused it stands out, in words (numbers) and colour.
        let checkout = try #require(page.element(containing: "data-service=\"payments/checkout\"", name: "tr"))
        #expect(checkout.contains("<td class=\"tone-bad\">4</td>"))
        #expect(checkout.contains("<td class=\"tone-warn\">2</td>"))
        // Bars above the configured delay are drawn as over it.
        #expect(!page.tags(containing: "class=\"bar over\"").isEmpty)
    }

    @Test func servicesTableHasARowPerServiceWithItsFigures() throws {
        let page = render(StatusPageFixtures.enough)
        let table = try #require(page.element(containing: "id=\"services\"", name: "table"))
        let rows = HTMLProbe(String(table)).tags(containing: "<tr data-service=").compactMap {
            HTMLProbe.attribute("data-service", in: $0)
        }
        #expect(rows == ["payments/checkout", "shop/cart", "shop/web"])
        let web = try #require(page.element(containing: "data-service=\"shop/web\"", name: "tr"))
        #expect(web.contains("<td>10</td>"))
        #expect(web.contains("<td>3 s</td>") == false)  // 10 samples: below min-samples for its own recommendation
        let checkout = try #require(page.element(containing: "data-service=\"payments/checkout\"", name: "tr"))
        #expect(checkout.contains("<td>1</td>"), "one pending change")
    }

    @Test func escapesEveryDynamicString() throws {
        var snapshot = StatusPageFixtures.snapshot(
            services: [.init(namespace: "a\"b", name: "<script>alert(1)</script>", removals: [0.3])],
            sources: [
                .init(
                    source: "apisix",
                    target: "evil:9180\"><img src=x onerror=alert(2)>",
                    up: false,
                    lastSuccess: nil,
                    lastError: "server_error: <b>503</b> & 'friends'",
                    errors: 7
                )
            ]
        )
        snapshot.version = "1.0<i>"
        let html = StatusPage.render(snapshot, telemetryPath: "/m\"><script>x</script>")
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>503"))
        #expect(!html.contains("<i>"))
        #expect(html.contains("data-service=\"a&quot;b/&lt;script&gt;alert(1)&lt;/script&gt;\""))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;</th>"))
        #expect(html.contains("server_error: &lt;b&gt;503&lt;/b&gt; &amp; &#39;friends&#39;"))
        #expect(html.contains("href=\"./m&quot;&gt;&lt;script&gt;x&lt;/script&gt;\""))
    }

    @Test func marksSitAtTheirValuesOnTheBucketAxis() throws {
        // 10 removals in (0.25, 0.5], 10 in (1, 2]; p99 1.5 s; recommendation ceil(1.5 + 1) = 3 s; delay 5 s.
        var snapshot = StatusPageFixtures.snapshot()
        var buckets =
            ExporterMetrics.lagBuckets.map { (upperBound: $0, count: 0) } + [(upperBound: .infinity, count: 0)]
        buckets[3].count = 10
        buckets[5].count = 10
        snapshot.removals = .init(
            count: 20,
            p50: 0.4,
            p90: 1.5,
            p99: 1.5,
            recommendationQuantile: 1.5,
            max: 1.6,
            buckets: buckets
        )
        var policy = RecommendationPolicy()
        policy.configuredDelay = 5
        snapshot.recommendation = RecommendationDocument(
            overall: .compute(samples: 20, quantileValue: 1.5, maximum: 1.6, overDelay: 0, policy: policy),
            services: [],
            policy: policy,
            window: 86_400
        )
        let page = render(snapshot)
        let chart = try #require(page.tag(containing: "id=\"removal-lag-chart\""))
        // Up to the bucket after the one holding 5 s: 0–50ms ... 5–7.5s, nine bars of equal width.
        #expect(HTMLProbe.attribute("data-buckets", in: chart) == "9")
        let width = (100 - 2 * 2.5) / 9
        // 1.5 s is half-way through the sixth bucket (1–2 s), 3 s the end of the seventh (2–3 s), 5 s the eighth's.
        #expect(abs(try markX(page, "recommendation") - (2.5 + 5.5 * width)) < 0.01)
        #expect(abs(try markX(page, "prestop") - (2.5 + 7 * width)) < 0.01)
        #expect(abs(try markX(page, "configured-delay") - (2.5 + 8 * width)) < 0.01)
        let bars = page.tags(containing: "class=\"bar")
        #expect(bars.compactMap { HTMLProbe.attribute("data-count", in: $0) } == ["10", "10"])
        #expect(bars.compactMap { HTMLProbe.attribute("data-le", in: $0) } == ["500ms", "2s"])
        #expect(page.html.contains("<text class=\"mark-label mark-recommendation\""))
        #expect(page.html.contains(">p99 1.5 s</text>"))
        #expect(page.html.contains(">configured 5 s</text>"))
    }

    @Test func lagsBeyondTheLastBoundShowTheUnboundedBucket() {
        let buckets =
            ExporterMetrics.lagBuckets.map { (upperBound: $0, count: 0) } + [(upperBound: .infinity, count: 2)]
        let visible = StatusPageChart.visibleBuckets(for: [buckets], values: [5])
        #expect(visible == buckets.count)
        let chart = StatusPageChart(
            id: "c",
            title: "t",
            description: "d",
            buckets: buckets,
            visibleBuckets: visible,
            noun: "removals",
            emptyText: "",
            height: 200
        )
        #expect(chart.x(0) == 2.5)
        #expect(abs(chart.x(10_000) - 97.5) < 0.001)
        #expect(chart.x(0.05) < chart.x(0.1) && chart.x(0.1) < chart.x(5) && chart.x(5) < chart.x(400))
        // Without samples the axis still reaches a bucket past the configured delay and at least 1 s.
        let empty = ExporterMetrics.lagBuckets.map { (upperBound: $0, count: 0) } + [(upperBound: .infinity, count: 0)]
        #expect(StatusPageChart.visibleBuckets(for: [empty], values: [5]) == 9)
        #expect(StatusPageChart.visibleBuckets(for: [empty], values: [0.1]) == 5)
        #expect(StatusPageChart.visibleBuckets(for: [empty], values: [1_000]) == 17)
    }

    @Test func chartsAreAccessible() throws {
        let page = render(StatusPageFixtures.enough)
        for id in ["removal-lag-chart", "addition-lag-chart"] {
            let svg = try #require(page.tag(containing: "id=\"\(id)\""))
            #expect(HTMLProbe.attribute("role", in: svg) == "img")
            let labels = try #require(HTMLProbe.attribute("aria-labelledby", in: svg)).split(separator: " ")
            #expect(labels == ["\(id)-title", "\(id)-desc"])
            for label in labels { #expect(page.html.contains(" id=\"\(label)\">")) }
        }
        let description = try #require(page.element(containing: "id=\"removal-lag-chart-desc\"", name: "desc"))
        #expect(description.contains("20 removals in the last 24 h"))
        #expect(description.contains("configured delay 5 s"))
        // The text equivalent: the bucket counts as a table.
        #expect(page.html.contains("<summary>Removal lag histogram as a table</summary>"))
        #expect(page.html.contains("<tr><td>250ms–500ms</td><td>7</td></tr>"))
        for heading in ["<h1>", "<h2 id=\"verdict-heading\">", "<h2 id=\"services-heading\">"] {
            #expect(page.html.contains(heading))
        }
    }

    @Test func sourcesShowHealthWithRelativeTimes() throws {
        let snapshot = StatusPageFixtures.snapshot(sources: [
            .init(
                source: "kubernetes",
                target: "10.96.0.1:443",
                up: true,
                lastSuccess: StatusPageFixtures.now - 3,
                lastError: nil,
                errors: 0
            ),
            .init(
                source: "apisix",
                target: "a:9180",
                up: false,
                lastSuccess: StatusPageFixtures.now - 125,
                lastError: "connection: refused",
                errors: 4
            ),
        ])
        let page = render(snapshot)
        let kubernetes = try #require(page.element(containing: "data-source=\"kubernetes/10.96.0.1:443\"", name: "tr"))
        #expect(kubernetes.contains(">up</span>"))
        #expect(kubernetes.contains(">3 s ago</td>"))
        let apisix = try #require(page.element(containing: "data-source=\"apisix/a:9180\"", name: "tr"))
        #expect(apisix.contains(">down</span>"))
        #expect(apisix.contains(">2 min ago</td>"))
        #expect(apisix.contains("connection: refused"))
        #expect(apisix.contains("<td class=\"tone-warn\">4</td>"))
        #expect(page.html.contains("resolution 100 ms (fast-poll interval)"))
        let upstreams = try #require(page.element(containing: "id=\"upstreams\"", name: "dl"))
        #expect(upstreams.contains("<dt>Mapped</dt><dd>3</dd>"))
    }

    @Test func rendersHundredsOfServicesQuickly() {
        let services = (0..<500).map { index in
            StatusPageFixtures.Service(namespace: "ns\(index % 20)", name: "svc-\(index)", removals: [0.2, 0.4])
        }
        let snapshot = StatusPageFixtures.snapshot(services: services)
        let clock = ContinuousClock()
        var html = ""
        let elapsed = clock.measure { html = StatusPage.render(snapshot, telemetryPath: "/metrics") }
        #expect(HTMLProbe(html).count("<tr data-service=") == 500)
        #expect(elapsed < .milliseconds(500), "rendering took \(elapsed)")
    }

    @Test func formatsDurationsAndTimes() {
        #expect(StatusPageText.seconds(nil) == "–")
        #expect(StatusPageText.seconds(0.35) == "350 ms")
        #expect(StatusPageText.seconds(1.3) == "1.3 s")
        #expect(StatusPageText.seconds(5) == "5 s")
        #expect(StatusPageText.seconds(12.25) == "12.3 s")
        #expect(StatusPageText.seconds(125) == "2 min 5 s")
        #expect(StatusPageText.span(86_400) == "24 h")
        #expect(StatusPageText.span(0.1) == "100 ms")
        #expect(StatusPageText.bound(7.5) == "7.5s")
        #expect(StatusPageText.bound(120) == "2m")
        #expect(StatusPageText.percentile(0.995) == "p99.5")
        #expect(StatusPageText.utc(0) == "1970-01-01 00:00:00 UTC")
        #expect(StatusPageText.utc(1_709_210_096) == "2024-02-29 12:34:56 UTC")
        #expect(StatusPageText.decimal(0.05, places: 3) == "0.05")
        #expect(StatusPageText.decimal(60.5556, places: 3) == "60.556")
    }
}
