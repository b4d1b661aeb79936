/// The small HTML page served at `/`.
enum LandingPage {
    static func render(telemetryPath: String, recommendation: RecommendationDocument, ready: Bool) -> String {
        let metricsLink = telemetryPath.hasPrefix("/") ? "." + telemetryPath : telemetryPath
        let current: String
        if let preStop = recommendation.prestopSeconds, let grace = recommendation.terminationGracePeriodSeconds {
            let verdict =
                recommendation.verdict == .enough
                ? "your configured \(RecommendationDocument.number(recommendation.configuredPrestopSeconds))s is enough"
                : "your configured \(RecommendationDocument.number(recommendation.configuredPrestopSeconds))s is NOT enough"
            current =
                "preStop sleep <strong>\(preStop)s</strong>, terminationGracePeriodSeconds <strong>\(grace)</strong> "
                + "(\(recommendation.samples) samples; \(verdict))"
        } else {
            current =
                "insufficient data (\(recommendation.samples) of \(recommendation.minSamples) removal samples)"
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>APISIX Sync Exporter</title>
            <style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#111}
            code{background:#eee;padding:0 .2em}</style></head>
            <body>
            <h1>APISIX Sync Exporter</h1>
            <p>Measures how long APISIX takes to reflect Kubernetes EndpointSlice changes. Version \(BuildInfo.version).
            Status: \(ready ? "ready" : "starting (waiting for the first EndpointSlice list and APISIX refresh)").</p>
            <p>Recommendation: \(current).</p>
            <ul>
            <li><a href="\(metricsLink)">Metrics</a></li>
            <li><a href="./recommendation">Recommendation (JSON)</a> ·
                <a href="./recommendation?format=yaml">as a pod spec fragment (YAML)</a></li>
            <li><a href="./api/v1/state">State (JSON)</a></li>
            <li><a href="./-/healthy">Health</a> · <a href="./-/ready">Readiness</a></li>
            </ul>
            </body>
            </html>

            """
    }
}
