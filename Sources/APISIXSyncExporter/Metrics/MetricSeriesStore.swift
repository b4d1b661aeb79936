/// The counter and histogram series recorded so far: per family name, per label values (in the family's label
/// order). A value type, so a scrape renders a copy taken under the lock while recording goes on.
struct MetricSeriesStore: Sendable {
    var counters: [String: [[String]: UInt64]] = [:]
    var histograms: [String: [[String]: HistogramCounts]] = [:]
    /// Counters of real values (seconds).
    var sums: [String: [[String]: Double]] = [:]
    /// Label values of the `build_info` series, once set.
    var buildInfo: [String]?

    /// Drops the series of one family for which `matches` holds (a scan of that family).
    mutating func removeSeries(of family: String, where matches: ([String]) -> Bool) {
        if let series = counters[family], series.keys.contains(where: matches) {
            counters[family] = series.filter { !matches($0.key) }
        }
        if let series = histograms[family], series.keys.contains(where: matches) {
            histograms[family] = series.filter { !matches($0.key) }
        }
    }
}
