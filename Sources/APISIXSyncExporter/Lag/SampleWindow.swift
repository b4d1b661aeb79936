/// The lag samples of the last `window` seconds, kept as raw values (at most `capacity`, oldest dropped first).
///
/// Used per Service, where a few samples a day are typical and an HDR histogram per Service would cost far more
/// memory than the samples themselves. Quantiles are exact (nearest rank). Pure: the caller passes the time.
public struct SampleWindow: Sendable {
    public let window: Double
    public let capacity: Int
    private var times: [Timestamp] = []
    private var lags: [Float] = []

    public init(window: Double, capacity: Int = 4096) {
        self.window = window
        self.capacity = max(1, capacity)
    }

    /// Whether no sample is held.
    public var isEmpty: Bool { times.isEmpty }

    /// Records a lag in seconds observed at `time` (times must not go backwards).
    public mutating func record(_ lag: Double, at time: Timestamp) {
        guard lag.isFinite, lag >= 0 else { return }
        prune(at: time)
        if times.count >= capacity {
            times.removeFirst()
            lags.removeFirst()
        }
        times.append(time)
        lags.append(Float(lag))
    }

    /// Drops samples older than the window.
    public mutating func prune(at time: Timestamp) {
        let cutoff = time - window
        guard let first = times.first, first <= cutoff else { return }
        let keep = times.firstIndex { $0 > cutoff } ?? times.count
        times.removeFirst(keep)
        lags.removeFirst(keep)
    }

    /// The samples in the window at `time`.
    public func summary(at time: Timestamp) -> Summary {
        let cutoff = time - window
        let start = times.firstIndex { $0 > cutoff } ?? times.count
        return Summary(sorted: lags[start...].map(Double.init).sorted())
    }

    /// Exact quantiles of a set of samples.
    public struct Summary: LagStatistics {
        let sorted: [Double]

        public var count: Int { sorted.count }

        public func quantile(_ q: Double) -> Double? {
            guard !sorted.isEmpty else { return nil }
            let rank = Int((min(1, max(0, q)) * Double(sorted.count)).rounded(.up))
            return sorted[min(sorted.count - 1, max(0, rank - 1))]
        }

        public var maximum: Double? { sorted.last }

        public func count(above seconds: Double) -> Int {
            sorted.count - (sorted.lastIndex { $0 <= seconds }.map { $0 + 1 } ?? 0)
        }
    }
}
