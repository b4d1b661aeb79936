import Histogram

/// Removal lags of the last `window` seconds in rotating HDR histograms (millisecond resolution).
///
/// The window is split into `slots` intervals; a sample goes into the current interval's histogram, and intervals
/// older than the window are dropped. Quantiles merge the live intervals. Pure: the caller passes the time.
public struct LagWindow: Sendable {
    public let window: Double
    public let slots: Int
    private var intervals: [(start: Timestamp, histogram: Histogram<UInt32>)] = []
    static let highestTrackableMilliseconds: UInt64 = 3_600_000

    public init(window: Double, slots: Int = 24) {
        self.window = window
        self.slots = max(1, slots)
    }

    private var slotLength: Double { window / Double(slots) }

    /// Records a lag in seconds observed at `time`.
    public mutating func record(_ lag: Double, at time: Timestamp) {
        guard lag.isFinite, lag >= 0 else { return }
        prune(at: time)
        let start = (time / slotLength).rounded(.down) * slotLength
        if intervals.last?.start != start {
            intervals.append((start, Histogram(highestTrackableValue: Self.highestTrackableMilliseconds)))
        }
        let milliseconds = min(UInt64((lag * 1000).rounded()), Self.highestTrackableMilliseconds)
        intervals[intervals.count - 1].histogram.record(milliseconds)
    }

    /// Drops intervals that ended before the window.
    public mutating func prune(at time: Timestamp) {
        let cutoff = time - window - slotLength
        intervals.removeAll { $0.start <= cutoff }
    }

    /// A snapshot of the samples in the window at `time`.
    public func summary(at time: Timestamp) -> Summary {
        var merged: Histogram<UInt32>?
        for interval in intervals where interval.start + slotLength > time - window {
            if merged == nil { merged = interval.histogram } else { merged?.add(interval.histogram) }
        }
        return Summary(histogram: merged)
    }

    /// Quantiles of the samples in a window.
    public struct Summary: LagStatistics {
        let histogram: Histogram<UInt32>?

        /// A summary without samples.
        public static let empty = Summary(histogram: nil)

        /// Number of samples.
        public var count: Int { Int(histogram?.totalCount ?? 0) }

        /// The q-quantile (0...1) in seconds; nil without samples.
        public func quantile(_ q: Double) -> Double? {
            guard let histogram, histogram.totalCount > 0 else { return nil }
            return Double(histogram.valueAtPercentile(min(100, max(0, q * 100)))) / 1000
        }

        /// The largest sample in seconds; nil without samples.
        public var maximum: Double? {
            guard let histogram, histogram.totalCount > 0 else { return nil }
            return Double(histogram.max) / 1000
        }

        /// Number of samples above `seconds`.
        public func count(above seconds: Double) -> Int {
            guard let histogram, histogram.totalCount > 0 else { return 0 }
            let threshold = UInt64((seconds * 1000).rounded(.down))
            let atOrBelow = histogram.count(within: 0...threshold)
            return Int(histogram.totalCount) - Int(atOrBelow)
        }
    }
}

extension LagWindow.Summary {
    /// The samples of both summaries.
    func merged(with other: Self) -> Self {
        guard let histogram else { return other }
        guard let theirs = other.histogram else { return self }
        var merged = histogram
        merged.add(theirs)
        return Self(histogram: merged)
    }

    /// The recorded values in seconds (each at the highest value of its millisecond bucket), with their counts,
    /// ascending.
    var values: [(value: Double, count: Int)] {
        guard let histogram, histogram.totalCount > 0 else { return [] }
        return histogram.recordedValues().map { step in
            let value = Swift.min(histogram.highestEquivalentForValue(step.value), histogram.maxRecorded)
            return (Double(value) / 1000, Int(step.count))
        }
    }
}
