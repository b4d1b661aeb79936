/// The verdict card: whether the configured preStop delay covers the recommendation, in words, with key figures.
extension StatusPage {
    /// The verdict's `data-verdict` value: `enough`, `not_enough` or `insufficient_data`.
    var verdictName: String {
        let recommendation = snapshot.recommendation
        guard recommendation.status == .ok, recommendation.prestopSeconds != nil else { return "insufficient_data" }
        return recommendation.verdict == .enough ? "enough" : "not_enough"
    }

    func appendVerdict(to html: inout String) {
        let recommendation = snapshot.recommendation
        let samples = recommendation.samples
        let observed = StatusPageText.seconds(recommendation.observedQuantileSeconds)
        let margin = StatusPageText.seconds(recommendation.marginSeconds)
        let over = recommendation.removalsOverConfiguredDelay
        let share = StatusPageText.decimal(recommendation.quantile * 100, places: 2) + "%"
        let measured =
            "\(share) of \(samples) endpoint removal\(samples == 1 ? "" : "s") in the last \(window) were reflected "
            + "by every APISIX target within \(observed)."
        let recommended = "<strong>\(recommendation.prestopSeconds ?? 0) s</strong>"
        let rule = "(\(quantileName) + \(margin) margin, rounded up)"
        let overText =
            over == 0
            ? ""
            : over == 1
                ? " 1 removal took longer than \(configuredDelay): its pod may have exited while APISIX still routed "
                    + "to it."
                : " \(over) removals took longer than \(configuredDelay): their pods may have exited while APISIX "
                    + "still routed to them."
        let badge: String
        let heading: String
        let lede: String
        switch verdictName {
        case "enough":
            badge = "Enough"
            heading = "Your preStop delay of \(configuredDelay) is enough"
            lede = "\(measured) Recommended sleep: \(recommended) \(rule).\(overText)"
        case "not_enough":
            badge = "Not enough"
            heading = "Your preStop delay of \(configuredDelay) is not enough"
            lede = "Raise the preStop sleep to \(recommended) \(rule). \(measured)\(overText)"
        default:
            badge = "Insufficient data"
            heading = "Not enough removals measured yet"
            let soFar = samples > 0 ? " \(quantileName) so far: \(observed)." : ""
            lede =
                "\(samples) of \(recommendation.minSamples) removal samples needed in the last \(window). Keep your "
                + "current preStop delay (\(configuredDelay)) until samples accumulate.\(soFar)\(overText)"
        }
        html += """
            <section id="verdict" class="card card-verdict verdict verdict-\(verdictName)" \
            data-verdict="\(verdictName)" aria-labelledby="verdict-heading">
            <p class="eyebrow">preStop verdict <span class="pill pill-\(verdictName)">\(badge)</span></p>
            <h2 id="verdict-heading">\(Self.verdictIcon(verdictName))\(heading)</h2>
            <p class="lede">\(lede)</p>
            <dl class="figures">
            """
        let preStop = recommendation.prestopSeconds.map { "\($0) s" } ?? "–"
        let grace = recommendation.terminationGracePeriodSeconds.map { "\($0) s" } ?? "–"
        appendFigure("Recommended preStop", preStop, id: "recommended-prestop", to: &html)
        appendFigure("Configured delay", configuredDelay, id: "configured-delay", to: &html)
        appendFigure("\(quantileName) removal lag", observed, id: "observed-quantile", to: &html)
        appendFigure(
            "Samples",
            "\(samples) <small>of \(recommendation.minSamples) min</small>",
            id: "samples",
            to: &html
        )
        let censored = recommendation.censoredSamples + recommendation.censoredWideSamples
        appendFigure(
            "Exact / censored",
            "\(recommendation.exactSamples) / \(censored)"
                + (recommendation.rightCensoredSamples > 0
                    ? " <small>+ \(recommendation.rightCensoredSamples) superseded</small>" : ""),
            id: "sample-kinds",
            to: &html
        )
        appendFigure(
            "Over \(configuredDelay)",
            "\(over)",
            id: "removals-over-delay",
            tone: over > 0 ? "bad" : nil,
            to: &html
        )
        appendFigure("Grace period", grace, id: "termination-grace-period", to: &html)
        html += "</dl>\n"
        html += """
            <p class="note policy">preStop = \(quantileName) of the removal lags in the last \(window) + \(margin) \
            margin, rounded up (at least 1 s), once there are \(recommendation.minSamples) samples; grace period = \
            max(30 s, preStop + \(StatusPageText.seconds(recommendation.shutdownBudgetSeconds)) shutdown budget). \
            Censored lags (a failed request or stalled polling left the end within an interval) count by their upper \
            bound up to \(StatusPageText.seconds(recommendation.maxCensoredWidthSeconds)) wide, else by their lower \
            bound; removals Kubernetes reverted first count as lower bounds (Kaplan-Meier).\
            \(recommendation.quantileIsLowerBound ? " The \(quantileName) is a lower bound: too many removals were reverted before APISIX applied them." : "") \
            Lag resolution \(StatusPageText.seconds(snapshot.resolution)).</p>
            </section>

            """
    }

    /// One `<div><dt><dd>` of a figures list; `value` is trusted HTML.
    func appendFigure(_ label: String, _ value: String, id: String, tone: String? = nil, to html: inout String) {
        html += "<div id=\"figure-\(id)\"\(tone.map { " class=\"tone-\($0)\"" } ?? "")><dt>\(label)</dt>"
        html += "<dd>\(value)</dd></div>"
    }

    /// A decorative icon for the verdict heading (the heading's text carries the meaning).
    static func verdictIcon(_ verdict: String) -> String {
        let path: String
        switch verdict {
        case "enough": path = "<path d=\"M7 12.5l3.2 3.2L17 9\"/>"
        case "not_enough": path = "<path d=\"M8.5 8.5l7 7M15.5 8.5l-7 7\"/>"
        default: path = "<path d=\"M8 12h.01M12 12h.01M16 12h.01\"/>"
        }
        return "<svg class=\"icon\" viewBox=\"0 0 24 24\" width=\"28\" height=\"28\" aria-hidden=\"true\" "
            + "focusable=\"false\"><circle cx=\"12\" cy=\"12\" r=\"10\"/>\(path)</svg>"
    }
}
