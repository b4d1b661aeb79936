/// The lag samples of the last `window` seconds, kept as raw values (at most `capacity`, oldest dropped first).
///
/// Used per Service, where a few samples a day are typical and an HDR histogram per Service would cost far more
/// memory than the samples themselves. Quantiles are exact (nearest rank, or Kaplan-Meier with right-censored
/// samples). Pure: the caller passes the time.
public struct SampleWindow: Sendable {
    public let window: Double
    public let capacity: Int
    /// Intervals wider than this many seconds count by their lower bound.
    public let maxCensoredWidth: Double
    private var times: [Timestamp] = []
    private var lags: [Float] = []
    private var kinds: [LagSample.Kind] = []

    public init(window: Double, capacity: Int = 4096, maxCensoredWidth: Double = 5) {
        self.window = window
        self.capacity = max(1, capacity)
        self.maxCensoredWidth = maxCensoredWidth
    }

    /// Whether no sample is held.
    public var isEmpty: Bool { times.isEmpty }

    /// Records an exact lag in seconds observed at `time` (times must not go backwards).
    public mutating func record(_ lag: Double, at time: Timestamp) {
        record(.exact(lag), at: time)
    }

    /// Records a sample that ended at `time` (times must not go backwards).
    public mutating func record(_ sample: LagSample, at time: Timestamp) {
        let (counted, kind) = sample.counted(maxWidth: maxCensoredWidth)
        let value: Double
        switch sample {
        case .atLeast(let bound): value = bound
        case .exact, .interval: value = counted ?? .nan
        }
        guard value.isFinite, value >= 0 else { return }
        prune(at: time)
        if times.count >= capacity {
            times.removeFirst()
            lags.removeFirst()
            kinds.removeFirst()
        }
        times.append(time)
        lags.append(Float(value))
        kinds.append(kind)
    }

    /// Drops samples older than the window.
    public mutating func prune(at time: Timestamp) {
        let cutoff = time - window
        guard let first = times.first, first <= cutoff else { return }
        let keep = times.firstIndex { $0 > cutoff } ?? times.count
        times.removeFirst(keep)
        lags.removeFirst(keep)
        kinds.removeFirst(keep)
    }

    /// The samples in the window at `time`.
    public func summary(at time: Timestamp) -> Summary {
        let cutoff = time - window
        let start = times.firstIndex { $0 > cutoff } ?? times.count
        var counted: [Double] = []
        var censored: [Double] = []
        var counts = SampleCounts()
        for index in start..<times.count {
            counts.add(kinds[index])
            if kinds[index] == .rightCensored {
                censored.append(Double(lags[index]))
            } else {
                counted.append(Double(lags[index]))
            }
        }
        return Summary(sorted: counted.sorted(), rightCensored: censored, sampleCounts: counts)
    }

    /// Exact quantiles of a set of samples.
    public struct Summary: LagStatistics {
        let sorted: [Double]
        var rightCensored: [Double] = []
        public var sampleCounts = SampleCounts()

        init(sorted: [Double], rightCensored: [Double] = [], sampleCounts: SampleCounts? = nil) {
            self.sorted = sorted
            self.rightCensored = rightCensored
            self.sampleCounts = sampleCounts ?? SampleCounts(exact: sorted.count)
        }

        public var count: Int { sorted.count }

        public func quantile(_ q: Double) -> Double? {
            guard !sorted.isEmpty else { return nil }
            guard rightCensored.isEmpty else {
                let estimator = estimator
                return estimator.quantile(q) ?? estimator.largestValue
            }
            let rank = Int((min(1, max(0, q)) * Double(sorted.count)).rounded(.up))
            return sorted[min(sorted.count - 1, max(0, rank - 1))]
        }

        public func quantileIsLowerBound(_ q: Double) -> Bool {
            !sorted.isEmpty && !rightCensored.isEmpty && estimator.quantile(q) == nil
        }

        private var estimator: KaplanMeier {
            KaplanMeier(events: sorted.map { ($0, 1) }, censored: rightCensored.map { ($0, 1) })
        }

        public var maximum: Double? { sorted.last }

        public func count(above seconds: Double) -> Int {
            sorted.count - (sorted.lastIndex { $0 <= seconds }.map { $0 + 1 } ?? 0)
        }
    }
}
