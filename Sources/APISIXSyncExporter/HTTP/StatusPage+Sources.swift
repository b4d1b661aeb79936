/// Source health (Kubernetes and each APISIX target) and, beside it, how the APISIX upstreams map to Services.
extension StatusPage {
    func appendSources(to html: inout String) {
        html += """
            <section class="card card-sources" aria-labelledby="sources-heading">
            <div class="split">
            <div class="split-main">
            <h2 id="sources-heading">Sources</h2>
            <div class="table-scroll" role="region" aria-labelledby="sources-heading" tabindex="0">
            <table id="sources">
            <thead><tr><th scope="col">Source</th><th scope="col" class="text">State</th>\
            <th scope="col">Last success</th><th scope="col">Errors</th><th scope="col" class="text">Last error</th>\
            </tr></thead>
            <tbody>

            """
        for source in snapshot.sources {
            let kind = StatusPageText.escape(source.source)
            let target = StatusPageText.escape(source.target)
            let state =
                source.up
                ? "<span class=\"pill pill-ok\">up</span>"
                : "<span class=\"pill pill-bad\">down</span>"
            let lastSuccess = StatusPageText.ago(source.lastSuccess, now: snapshot.time)
            let lastSuccessTitle = source.lastSuccess.map { " title=\"\(StatusPageText.utc($0))\"" } ?? ""
            let lastError = source.lastError.map { StatusPageText.escape($0) } ?? "–"
            html += "<tr data-source=\"\(kind)/\(target)\"><th scope=\"row\">\(kind) <span class=\"target\">"
            html += "\(target)</span></th><td class=\"text\">\(state)</td><td\(lastSuccessTitle)>\(lastSuccess)</td>"
            html += Self.cell("\(source.errors)", tone: source.errors > 0 ? "warn" : nil)
            html += "<td class=\"text error-text\">\(lastError)</td></tr>\n"
        }
        html += "</tbody>\n</table>\n</div>\n</div>\n"
        appendUpstreams(to: &html)
        html += "</div>\n</section>\n"
    }

    private func appendUpstreams(to html: inout String) {
        let counts = snapshot.upstreams
        html += """
            <div class="split-side">
            <h2 id="upstreams-heading">APISIX upstreams</h2>
            <dl class="figures" id="upstreams">
            """
        let unmapped = counts[.unmapped] ?? 0
        appendFigure("Mapped", "\(counts[.mapped] ?? 0)", id: "upstreams-mapped", to: &html)
        appendFigure(
            "Unmapped",
            "\(unmapped)",
            id: "upstreams-unmapped",
            tone: unmapped > 0 ? "warn" : nil,
            to: &html
        )
        appendFigure("Discovery", "\(counts[.discovery] ?? 0)", id: "upstreams-discovery", to: &html)
        html += """
            </dl>
            <p class="note">Over all APISIX targets. Only mapped upstreams are measured; \
            <a href="./api/v1/state">./api/v1/state</a> shows each mapping and why.</p>
            </div>

            """
    }
}
