/// The HTML status page served at `/`: the verdict on the configured preStop delay, the lag distributions, a row
/// per Service, source health, upstream mapping counts and the paste-ready pod spec fragment.
///
/// Server-rendered, self-contained (inline CSS and SVG, no script, no external assets) and linked relatively, so it
/// works offline, in a cluster and behind a path prefix. It reloads itself every ``refreshSeconds``. Every dynamic
/// string goes through ``StatusPageText/escape(_:)``.
struct StatusPage {
    /// Seconds between automatic reloads.
    static let refreshSeconds = 5

    let snapshot: StatusSnapshot
    /// The configured `--web.telemetry-path`.
    let telemetryPath: String

    /// Renders the page for `snapshot`.
    static func render(_ snapshot: StatusSnapshot, telemetryPath: String) -> String {
        StatusPage(snapshot: snapshot, telemetryPath: telemetryPath).render()
    }

    /// The metrics link, relative to the page (`/metrics` → `./metrics`).
    var metricsHref: String {
        telemetryPath.hasPrefix("/") ? "." + telemetryPath : "./" + telemetryPath
    }

    /// The configured delay as text, e.g. `5 s`.
    var configuredDelay: String { StatusPageText.seconds(snapshot.recommendation.configuredPrestopSeconds) }

    /// The recommendation window as text, e.g. `24 h`.
    var window: String { StatusPageText.span(snapshot.recommendation.windowSeconds) }

    /// The recommendation quantile's name, e.g. `p99`.
    var quantileName: String { StatusPageText.percentile(snapshot.recommendation.quantile) }

    func render() -> String {
        var html = ""
        html.reserveCapacity(24_000 + snapshot.services.count * 700 + snapshot.sources.count * 400)
        html += """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="refresh" content="\(Self.refreshSeconds)">
            <meta name="color-scheme" content="light dark">
            <title>\(StatusPageText.escape(pageTitle)) · APISIX sync lag</title>
            <style>\(StatusPageStyle.css)</style>
            </head>
            <body>

            """
        appendHeader(to: &html)
        html += "<main>\n"
        // Phones read top to bottom; wide screens place the pod spec beside the verdict (grid areas in the CSS).
        appendVerdict(to: &html)
        appendRemovalChart(to: &html)
        appendAdditionChart(to: &html)
        appendServices(to: &html)
        appendRecommendationYAML(to: &html)
        appendWorkloads(to: &html)
        appendSources(to: &html)
        html += "</main>\n"
        appendFooter(to: &html)
        html += "</body>\n</html>\n"
        return html
    }

    private var pageTitle: String {
        let recommendation = snapshot.recommendation
        guard recommendation.status == .ok, let preStop = recommendation.prestopSeconds else {
            return "Insufficient data (\(recommendation.samples) of \(recommendation.minSamples))"
        }
        let verdict = recommendation.verdict == .enough ? "enough" : "not enough"
        return "preStop \(configuredDelay) \(verdict) (recommended \(preStop) s)"
    }

    private var links: [(href: String, label: String, title: String)] {
        [
            (metricsHref, "Metrics", "Prometheus metrics"),
            ("./recommendation", "Recommendation", "The recommendation as JSON"),
            ("./recommendation?format=yaml", "YAML", "The recommendation as a pod spec fragment"),
            ("./api/v1/workloads", "Workloads", "Each workload's preStop, measured lag, verdict and patch as JSON"),
            ("./api/v1/state", "State", "Services, upstream mappings, pending changes and sources as JSON"),
            ("./-/healthy", "Healthy", "Liveness"),
            ("./-/ready", "Ready", "Readiness"),
        ]
    }

    private func appendLinks(to html: inout String) {
        html += "<ul class=\"links\">"
        for link in links {
            html += "<li><a href=\"\(StatusPageText.escape(link.href))\" title=\"\(link.title)\">\(link.label)</a></li>"
        }
        html += "</ul>"
    }

    private func appendHeader(to html: inout String) {
        let readiness =
            snapshot.ready
            ? "<span class=\"pill pill-ok\">ready</span>"
            : "<span class=\"pill pill-warn\">starting</span> waiting for the first EndpointSlice list and a full "
                + "refresh of every APISIX target"
        html += """
            <header class="page-header">
            <div class="header-text">
            <h1>APISIX sync lag</h1>
            <p class="meta">apisix-sync-exporter \(StatusPageText.escape(snapshot.version)) · \(readiness) · \
            <time>\(StatusPageText.utc(snapshot.time))</time> · refreshes every \(Self.refreshSeconds) s</p>
            </div>
            <nav aria-label="Endpoints">
            """
        appendLinks(to: &html)
        html += "</nav>\n</header>\n"
    }

    private func appendFooter(to html: inout String) {
        html += """
            <footer class="page-footer">
            <p>Lag: from the exporter receiving an EndpointSlice change until every APISIX target's Admin API \
            reflects it, measured every \(StatusPageText.seconds(snapshot.resolution)) while changes are pending. \
            Not included: the EndpointSlice controller's share and the Admin API to APISIX workers.</p>
            </footer>

            """
    }

    private func appendRecommendationYAML(to html: inout String) {
        html += """
            <section class="card card-yaml" aria-labelledby="yaml-heading">
            <h2 id="yaml-heading">Pod spec fragment</h2>
            <p class="note">Paste-ready, from <a href="./recommendation?format=yaml">./recommendation?format=yaml</a>.\
            </p>
            <pre id="recommendation-yaml"><code>\(StatusPageText.escape(snapshot.recommendation.yaml))</code></pre>
            </section>

            """
    }
}
