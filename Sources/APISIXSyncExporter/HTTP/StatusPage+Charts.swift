/// The lag charts: removals (with the recommendation quantile, the recommended and the configured delay marked) and
/// additions, on the same axis.
extension StatusPage {
    /// Buckets drawn by both charts: enough for every sample and mark.
    var visibleBuckets: Int {
        StatusPageChart.visibleBuckets(
            for: [snapshot.removals.buckets, snapshot.additions.buckets],
            values: removalMarks.map(\.value)
        )
    }

    /// The removal chart's marks: the quantile (once there are samples), the recommended preStop (once there is a
    /// recommendation) and the configured delay.
    var removalMarks: [StatusPageChart.Mark] {
        let recommendation = snapshot.recommendation
        var marks: [StatusPageChart.Mark] = []
        if snapshot.removals.count > 0,
            let quantile = recommendation.observedQuantileSeconds ?? snapshot.removals.recommendationQuantile
        {
            marks.append(
                .init(
                    name: "recommendation",
                    label: "\(quantileName) \(StatusPageText.seconds(quantile))",
                    value: quantile
                )
            )
        }
        if recommendation.status == .ok, let preStop = recommendation.prestopSeconds {
            marks.append(.init(name: "prestop", label: "recommended \(preStop) s", value: Double(preStop)))
        }
        marks.append(
            .init(
                name: "configured-delay",
                label: "configured \(configuredDelay)",
                value: recommendation.configuredPrestopSeconds
            )
        )
        return marks
    }

    func appendRemovalChart(to html: inout String) {
        let removals = snapshot.removals
        let recommendation = snapshot.recommendation
        html += """
            <section class="card card-removal" aria-labelledby="removal-heading">
            <h2 id="removal-heading">Removal lag</h2>
            <p class="note">From an endpoint leaving a Service until every APISIX target stopped routing to it; \
            last \(window); resolution \(StatusPageText.seconds(snapshot.resolution)) (fast-poll interval).</p>

            """
        appendStatistics(removals, noun: "removals", to: &html)
        var description =
            "\(removals.count) removal\(removals.count == 1 ? "" : "s") in the last \(window)"
        if removals.count > 0 {
            description +=
                ": p50 \(StatusPageText.seconds(removals.p50)), p99 \(StatusPageText.seconds(removals.p99)), "
                + "max \(StatusPageText.seconds(removals.max))"
        }
        description += ". Marked: "
        description += removalMarks.map { mark in
            switch mark.name {
            case "recommendation": "\(quantileName) removal lag \(StatusPageText.seconds(mark.value))"
            case "prestop": "recommended preStop \(StatusPageText.seconds(mark.value))"
            default: "configured delay \(StatusPageText.seconds(mark.value))"
            }
        }.joined(separator: "; ")
        description +=
            ". \(recommendation.removalsOverConfiguredDelay) removals took longer than the configured delay."
        StatusPageChart(
            id: "removal-lag-chart",
            title: "Removal lag histogram",
            description: description,
            buckets: removals.buckets,
            visibleBuckets: visibleBuckets,
            marks: removalMarks,
            overThreshold: recommendation.configuredPrestopSeconds,
            noun: "removals",
            emptyText: "No removals measured yet",
            height: 250
        ).render(into: &html)
        html += "</section>\n"
    }

    func appendAdditionChart(to html: inout String) {
        let additions = snapshot.additions
        html += """
            <section class="card card-addition" aria-labelledby="addition-heading">
            <h2 id="addition-heading">Addition lag</h2>
            <p class="note">From a new ready endpoint until every APISIX target routes to it; last \(window). \
            Not part of the recommendation.</p>

            """
        appendStatistics(additions, noun: "additions", to: &html)
        var description = "\(additions.count) addition\(additions.count == 1 ? "" : "s") in the last \(window)"
        if additions.count > 0 {
            description +=
                ": p50 \(StatusPageText.seconds(additions.p50)), p99 \(StatusPageText.seconds(additions.p99)), "
                + "max \(StatusPageText.seconds(additions.max))"
        }
        StatusPageChart(
            id: "addition-lag-chart",
            title: "Addition lag histogram",
            description: description + ".",
            buckets: additions.buckets,
            visibleBuckets: visibleBuckets,
            noun: "additions",
            emptyText: "No additions measured yet",
            height: 160
        ).render(into: &html)
        html += "</section>\n"
    }

    /// `N samples · p50 · p90 · p99 · max` above a chart.
    private func appendStatistics(_ distribution: StatusSnapshot.Distribution, noun: String, to html: inout String) {
        let items: [(String, String)] = [
            (noun, "\(distribution.count)"),
            ("p50", StatusPageText.seconds(distribution.p50)),
            ("p90", StatusPageText.seconds(distribution.p90)),
            ("p99", StatusPageText.seconds(distribution.p99)),
            ("max", StatusPageText.seconds(distribution.max)),
        ]
        html += "<ul class=\"stats\">"
        for (label, value) in items { html += "<li><span>\(label)</span> <strong>\(value)</strong></li>" }
        html += "</ul>\n"
    }
}
