/// A lag histogram as accessible inline SVG, with vertical marks (quantile, recommendation, configured delay).
///
/// One bar of equal width per Prometheus bucket (`apisix_sync_lag_seconds` bounds), as Grafana draws a histogram;
/// a mark's value is placed linearly inside its bucket. Coordinates along the axis are percentages of the SVG's
/// width, so the chart stretches to any screen while its text keeps its size. Trailing empty buckets are cut; see
/// ``visibleBuckets(for:values:)``.
struct StatusPageChart {
    /// A vertical line at a value, labelled at the top.
    struct Mark {
        /// The `data-mark` hook and a CSS class suffix.
        var name: String
        var label: String
        var value: Double
    }

    /// The `id` of the `<svg>`.
    var id: String
    /// Accessible name (`<title>`).
    var title: String
    /// Accessible description (`<desc>`): the numbers a sighted user reads off the chart.
    var description: String
    /// `(upper bound, count)` per bucket, the last one unbounded.
    var buckets: [(upperBound: Double, count: Int)]
    /// How many buckets from the first one are drawn.
    var visibleBuckets: Int
    var marks: [Mark] = []
    /// Bars whose lower bound is at or above this value are drawn as over the delay.
    var overThreshold: Double?
    /// What a sample is (`removals`), for bar tooltips.
    var noun: String
    /// Shown in the plot when there are no samples.
    var emptyText: String
    /// Height of the SVG in pixels.
    var height: Int

    /// Left and right margin of the plot, in percent of the width.
    static let margin = 2.5
    static let markRowHeight = 16
    static let axisHeight = 26

    /// The number of buckets to draw so that every non-empty bucket and every value is inside, with one bucket of
    /// room after the last one; at least up to the 1 s bucket.
    static func visibleBuckets(for buckets: [[(upperBound: Double, count: Int)]], values: [Double]) -> Int {
        guard let bounds = buckets.first?.map(\.upperBound), !bounds.isEmpty else { return 0 }
        var last = min(bounds.count - 1, (bounds.firstIndex { $0 >= 1 } ?? 0))
        for series in buckets {
            if let highest = series.lastIndex(where: { $0.count > 0 }) { last = max(last, highest) }
        }
        for value in values where value.isFinite && value >= 0 {
            last = max(last, min(bounds.count - 2, bounds.firstIndex { value <= $0 } ?? bounds.count - 1) + 1)
        }
        // The unbounded bucket only when it holds samples.
        if last == bounds.count - 1, buckets.allSatisfy({ ($0.last?.count ?? 0) == 0 }) { last -= 1 }
        return max(1, last + 1)
    }

    private var barWidth: Double { (100 - 2 * Self.margin) / Double(max(1, visibleBuckets)) }

    private func lowerBound(_ index: Int) -> Double { index == 0 ? 0 : buckets[index - 1].upperBound }

    /// The drawing width of a bucket in seconds; the unbounded bucket counts as wide as the one before it doubled.
    private func upperBound(_ index: Int) -> Double {
        let bound = buckets[index].upperBound
        return bound.isFinite ? bound : max(1, lowerBound(index)) * 2
    }

    /// Horizontal position of `value` seconds, in percent of the chart's width.
    func x(_ value: Double) -> Double {
        let count = min(visibleBuckets, buckets.count)
        guard count > 0 else { return Self.margin }
        let value = max(0, value)
        guard let index = (0..<count).first(where: { value <= upperBound($0) }) else { return 100 - Self.margin }
        let low = lowerBound(index)
        let fraction = min(1, max(0, (value - low) / (upperBound(index) - low)))
        return Self.margin + (Double(index) + fraction) * barWidth
    }

    /// Appends the `<svg>` and, below it, a `<details>` table of the bucket counts (the text equivalent).
    func render(into html: inout String) {
        let count = min(visibleBuckets, buckets.count)
        let top = 8 + marks.count * Self.markRowHeight
        let baseline = height - Self.axisHeight
        let tallest = buckets.prefix(count).map(\.count).max() ?? 0
        let plotHeight = Double(baseline - top - 18)
        let titleID = id + "-title"
        let descriptionID = id + "-desc"
        html += """
            <svg id="\(id)" class="chart" width="100%" height="\(height)" role="img" \
            aria-labelledby="\(titleID) \(descriptionID)" data-buckets="\(count)">\
            <title id="\(titleID)">\(StatusPageText.escape(title))</title>\
            <desc id="\(descriptionID)">\(StatusPageText.escape(description))</desc>
            """
        html += "<line class=\"axis\" x1=\"\(Self.percent(Self.margin))\" x2=\"\(Self.percent(100 - Self.margin))\" "
        html += "y1=\"\(baseline)\" y2=\"\(baseline)\"/>"
        for index in 0..<count {
            let bucket = buckets[index]
            let left = Self.margin + Double(index) * barWidth
            let range =
                "\(StatusPageText.bound(lowerBound(index)))–\(StatusPageText.bound(bucket.upperBound))"
            if bucket.count > 0, tallest > 0 {
                let barHeight = max(2, plotHeight * Double(bucket.count) / Double(tallest))
                let over = overThreshold.map { lowerBound(index) >= $0 } ?? false
                html +=
                    "<rect class=\"bar\(over ? " over" : "")\" data-le=\"\(StatusPageText.bound(bucket.upperBound))\" "
                html += "data-count=\"\(bucket.count)\" x=\"\(Self.percent(left + barWidth * 0.08))\" "
                html += "y=\"\(Self.number(Double(baseline) - barHeight))\" width=\"\(Self.percent(barWidth * 0.84))\" "
                html += "height=\"\(Self.number(barHeight))\"><title>\(range): \(bucket.count) \(noun)</title></rect>"
                html += "<text class=\"count\" x=\"\(Self.percent(left + barWidth / 2))\" "
                html += "y=\"\(Self.number(Double(baseline) - barHeight - 4))\">\(bucket.count)</text>"
            }
            let minor = count > 8 && index % 2 == 1 ? " minor" : ""
            html += "<text class=\"tick\(minor)\" x=\"\(Self.percent(left))\" y=\"\(baseline + 17)\">"
            html += "\(StatusPageText.bound(lowerBound(index)))</text>"
        }
        let end = count > 0 ? StatusPageText.bound(buckets[count - 1].upperBound) : ""
        let endMinor = count > 8 && count % 2 == 1 ? " minor" : ""
        html += "<text class=\"tick end\(endMinor)\" x=\"\(Self.percent(100 - Self.margin))\" "
        html += "y=\"\(baseline + 17)\">\(end)</text>"
        if tallest == 0 {
            html += "<text class=\"empty\" x=\"50%\" y=\"\((top + baseline) / 2)\">"
            html += "\(StatusPageText.escape(emptyText))</text>"
        }
        for (row, mark) in marks.enumerated() {
            let position = x(mark.value)
            let labelY = 8 + row * Self.markRowHeight + 11
            let anchor = position > 60 ? "end" : "start"
            html += "<line class=\"mark mark-\(mark.name)\" data-mark=\"\(mark.name)\" "
            html += "data-value=\"\(Self.number(mark.value))\" x1=\"\(Self.percent(position))\" "
            html += "x2=\"\(Self.percent(position))\" y1=\"\(labelY - 11)\" y2=\"\(baseline)\"/>"
            html += "<text class=\"mark-label mark-\(mark.name)\" text-anchor=\"\(anchor)\" "
            html += "x=\"\(Self.percent(position))\" dx=\"\(anchor == "end" ? -5 : 5)\" y=\"\(labelY)\">"
            html += "\(StatusPageText.escape(mark.label))</text>"
        }
        html += "</svg>\n"
        html += "<details class=\"bucket-table\"><summary>\(StatusPageText.escape(title)) as a table</summary>"
        html += "<table><thead><tr><th scope=\"col\">Lag</th><th scope=\"col\">\(StatusPageText.escape(noun))</th>"
        html += "</tr></thead><tbody>"
        for index in 0..<buckets.count where index < count || buckets[index].count > 0 {
            let bucket = buckets[index]
            html += "<tr><td>\(StatusPageText.bound(lowerBound(index)))–\(StatusPageText.bound(bucket.upperBound))"
            html += "</td><td>\(bucket.count)</td></tr>"
        }
        html += "</tbody></table></details>\n"
    }

    /// `12.5%`.
    static func percent(_ value: Double) -> String { StatusPageText.decimal(value, places: 3) + "%" }

    static func number(_ value: Double) -> String { StatusPageText.decimal(value, places: 1) }
}
