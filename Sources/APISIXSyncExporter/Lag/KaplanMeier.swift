/// Quantiles of lags some of which are right-censored (known only to exceed a value), by the Kaplan-Meier
/// product-limit estimator. Without censored values it is the empirical distribution (nearest rank). Pure.
public struct KaplanMeier: Sendable, Equatable {
    /// Values at one point: how many lags ended there, and how many were censored there.
    public struct Group: Sendable, Equatable {
        public var value: Double
        public var events: Int
        public var censored: Int
    }

    /// Ascending, one group per distinct value.
    public let groups: [Group]

    /// - Parameters:
    ///   - events: lags that ended (exact, or counted from an interval), with their multiplicity.
    ///   - censored: lags known only to exceed the value, with their multiplicity.
    public init(events: [(value: Double, count: Int)], censored: [(value: Double, count: Int)]) {
        var byValue: [Double: Group] = [:]
        for (value, count) in events where count > 0 && value.isFinite {
            byValue[value, default: Group(value: value, events: 0, censored: 0)].events += count
        }
        for (value, count) in censored where count > 0 && value.isFinite {
            byValue[value, default: Group(value: value, events: 0, censored: 0)].censored += count
        }
        groups = byValue.values.sorted { $0.value < $1.value }
    }

    /// The smallest lag at which the estimated share of lags at or below it reaches `q` (0...1); nil when there is
    /// no event or the censored values leave the estimate short of `q` (the quantile lies beyond the data).
    ///
    /// At a value with both events and censored lags, the events count first (a lag censored at v outlived v).
    public func quantile(_ q: Double) -> Double? {
        let target = min(1, max(0, q))
        var atRisk = groups.reduce(0) { $0 + $1.events + $1.censored }
        var survival = 1.0
        for group in groups {
            if group.events > 0, atRisk > 0 {
                survival *= 1 - Double(group.events) / Double(atRisk)
                if 1 - survival >= target - 1e-9 { return group.value }
            }
            atRisk -= group.events + group.censored
        }
        return nil
    }

    /// The largest value, ended or censored: a lower bound of any quantile the estimate cannot reach.
    public var largestValue: Double? { groups.last?.value }
}
