/// Cumulative bucket counts, sum and count of one histogram series.
struct HistogramCounts: Sendable {
    /// One count per bound of ``ExporterMetrics/lagBuckets``: observations less than or equal to it.
    private(set) var cumulative: [UInt64]
    private(set) var sum: Double = 0
    private(set) var count: UInt64 = 0

    init(bucketCount: Int) {
        cumulative = Array(repeating: 0, count: bucketCount)
    }

    /// Adds one observation; non-finite values are not observations and are ignored.
    mutating func record(_ value: Double, bounds: [Double]) {
        guard value.isFinite else { return }
        var index = bounds.count
        while index > 0, value <= bounds[index - 1] { index -= 1 }
        for bucket in index..<cumulative.count { cumulative[bucket] += 1 }
        sum += value
        count += 1
    }
}
