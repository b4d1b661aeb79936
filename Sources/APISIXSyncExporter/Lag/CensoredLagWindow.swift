/// The removal (or addition) lags of the last `window` seconds as the recommendation uses them: exact samples,
/// censored intervals (counted by their upper bound when narrow, by their lower bound when wide), and right-censored
/// lower bounds of superseded changes, which enter the quantile through ``KaplanMeier``. Pure: the caller passes the
/// time.
public struct CensoredLagWindow: Sendable {
    /// Intervals wider than this many seconds count by their lower bound.
    public let maxCensoredWidth: Double
    private var windows: [LagWindow]
    /// One entry per end-to-end sample (a removal timed from its pod's deletion), to count them.
    private var endToEnd: LagWindow

    public init(window: Double, maxCensoredWidth: Double, slots: Int = 24) {
        self.maxCensoredWidth = maxCensoredWidth
        windows = LagSample.Kind.allCases.map { _ in LagWindow(window: window, slots: slots) }
        endToEnd = LagWindow(window: window, slots: slots)
    }

    /// Records a sample that ended at `time`; `endToEnd` marks a lag measured from the pod's deletion.
    public mutating func record(_ sample: LagSample, at time: Timestamp, endToEnd isEndToEnd: Bool = false) {
        if isEndToEnd { endToEnd.record(0, at: time) }
        let (value, kind) = sample.counted(maxWidth: maxCensoredWidth)
        switch sample {
        case .atLeast(let bound): windows[Int(kind.rawValue)].record(bound, at: time)
        case .exact, .interval: if let value { windows[Int(kind.rawValue)].record(value, at: time) }
        }
    }

    /// Drops intervals that ended before the window.
    public mutating func prune(at time: Timestamp) {
        for index in windows.indices { windows[index].prune(at: time) }
        endToEnd.prune(at: time)
    }

    /// A snapshot of the samples in the window at `time`.
    public func summary(at time: Timestamp) -> Summary {
        let parts = windows.map { $0.summary(at: time) }
        var counts = SampleCounts()
        for kind in LagSample.Kind.allCases { counts.add(kind, parts[Int(kind.rawValue)].count) }
        let counted = parts[0].merged(with: parts[1]).merged(with: parts[2])
        return Summary(
            counted: counted,
            rightCensored: parts[3],
            sampleCounts: counts,
            endToEndSamples: endToEnd.summary(at: time).count
        )
    }

    /// Quantiles of the samples in a window, right-censored ones included.
    public struct Summary: LagStatistics {
        /// Exact samples and intervals, each as the value it counts as.
        let counted: LagWindow.Summary
        /// Lower bounds of superseded changes.
        let rightCensored: LagWindow.Summary
        public let sampleCounts: SampleCounts
        /// Samples (of every kind) measured from the pod's deletion rather than from the EndpointSlice change.
        public var endToEndSamples = 0

        /// A summary without samples.
        public static let empty = Summary(counted: .empty, rightCensored: .empty, sampleCounts: SampleCounts())

        public var count: Int { counted.count }

        public func quantile(_ q: Double) -> Double? {
            guard counted.count > 0 else { return nil }
            guard rightCensored.count > 0 else { return counted.quantile(q) }
            let estimator = KaplanMeier(events: counted.values, censored: rightCensored.values)
            return estimator.quantile(q) ?? estimator.largestValue
        }

        public func quantileIsLowerBound(_ q: Double) -> Bool {
            guard counted.count > 0, rightCensored.count > 0 else { return false }
            return KaplanMeier(events: counted.values, censored: rightCensored.values).quantile(q) == nil
        }

        public var maximum: Double? { counted.maximum }

        public func count(above seconds: Double) -> Int { counted.count(above: seconds) }
    }
}
