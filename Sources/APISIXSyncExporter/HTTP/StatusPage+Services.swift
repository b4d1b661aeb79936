/// The per-Service table: removal lags, nodes out of sync now, pending changes and the Service's own recommendation.
extension StatusPage {
    func appendServices(to html: inout String) {
        let services = snapshot.services
        let delay = snapshot.recommendation.configuredPrestopSeconds
        var recommended: [String: Int] = [:]
        recommended.reserveCapacity(snapshot.recommendation.services.count)
        for entry in snapshot.recommendation.services {
            if let preStop = entry.prestopSeconds { recommended["\(entry.namespace)/\(entry.service)"] = preStop }
        }
        let over = services.count(where: { $0.removalsOverDelay > 0 })
        let diverging = services.count(where: { $0.staleNodes > 0 || $0.missingNodes > 0 })
        html += """
            <section class="card card-services" aria-labelledby="services-heading">
            <h2 id="services-heading">Services</h2>
            <p class="note">\(services.count) Service\(services.count == 1 ? "" : "s") mapped to APISIX upstreams; \
            \(over) with removals over \(configuredDelay); \(diverging) out of sync now. Lags over the last \
            \(window). <em>Stale</em>: APISIX routes to a node that is not ready; <em>missing</em>: a ready \
            endpoint APISIX does not route to; <em>preStop</em>: the Service's own recommendation, once it has \
            \(snapshot.recommendation.minSamples) removals.</p>
            <div class="table-scroll" role="region" aria-labelledby="services-heading" tabindex="0">
            <table id="services">
            <thead><tr><th scope="col">Service</th><th scope="col">Removals</th><th scope="col">p50</th>\
            <th scope="col">p99</th><th scope="col">Max</th><th scope="col">Over \(configuredDelay)</th>\
            <th scope="col">Stale now</th><th scope="col">Missing now</th><th scope="col">Pending</th>\
            <th scope="col">preStop</th></tr></thead>
            <tbody>

            """
        if services.isEmpty {
            html += "<tr><td colspan=\"10\" class=\"empty\">No Services are mapped to APISIX upstreams yet.</td></tr>\n"
        }
        for row in services {
            let namespace = StatusPageText.escape(row.namespace)
            let name = StatusPageText.escape(row.name)
            let removals = row.removals
            let preStop = recommended["\(row.namespace)/\(row.name)"]
            html +=
                "<tr data-service=\"\(namespace)/\(name)\"><th scope=\"row\"><span class=\"ns\">\(namespace)/</span>"
            html += "\(name)</th>"
            html += "<td>\(removals.count)</td>"
            html += "<td>\(StatusPageText.seconds(removals.p50))</td>"
            html += Self.cell(StatusPageText.seconds(removals.p99), tone: (removals.p99 ?? 0) > delay ? "bad" : nil)
            html += Self.cell(StatusPageText.seconds(removals.max), tone: (removals.max ?? 0) > delay ? "bad" : nil)
            html += Self.cell("\(row.removalsOverDelay)", tone: row.removalsOverDelay > 0 ? "bad" : nil)
            html += Self.cell("\(row.staleNodes)", tone: row.staleNodes > 0 ? "warn" : nil)
            html += Self.cell("\(row.missingNodes)", tone: row.missingNodes > 0 ? "warn" : nil)
            html += "<td>\(row.pendingChanges)</td>"
            if let preStop {
                html += Self.cell("\(preStop) s", tone: Double(preStop) > delay ? "bad" : nil)
            } else {
                html += "<td class=\"muted\" title=\"not enough removal samples\">–</td>"
            }
            html += "</tr>\n"
        }
        html += "</tbody>\n</table>\n</div>\n</section>\n"
    }

    /// A numeric cell, tinted (and bold, for those who cannot tell the colours) when `tone` is set.
    static func cell(_ text: String, tone: String?) -> String {
        guard let tone else { return "<td>\(text)</td>" }
        return "<td class=\"tone-\(tone)\">\(text)</td>"
    }
}
