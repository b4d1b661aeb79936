import Testing

@testable import APISIXSyncExporter

@Suite struct KaplanMeierTests {
    @Test(arguments: [0.5, 0.9, 0.99, 1.0])
    func withoutCensoringItIsTheNearestRank(q: Double) {
        let values = (1...100).map { Double($0) / 10 }
        let estimator = KaplanMeier(events: values.map { ($0, 1) }, censored: [])
        let rank = Int((q * 100).rounded(.up))
        #expect(estimator.quantile(q) == values[rank - 1])
        #expect(SampleWindow.Summary(sorted: values).quantile(q) == values[rank - 1])
    }

    /// The textbook example: 1, 2+, 3, 4, 5+ (+ censored). S(1) = 4/5, S(3) = 4/5 * 2/3, S(4) = 0... with one at risk.
    @Test func censoredValuesLeaveTheRiskSet() {
        let estimator = KaplanMeier(events: [(1, 1), (3, 1), (4, 1)], censored: [(2, 1), (5, 1)])
        #expect(estimator.quantile(0.2) == 1)  // 1 - S(1) = 0.2
        #expect(estimator.quantile(0.4) == 3)  // 1 - S(3) = 1 - 0.8 * 2/3 = 0.4667
        #expect(estimator.quantile(0.7) == 4)  // 1 - S(4) = 1 - 0.5333 * 1/2 = 0.7333
        #expect(estimator.quantile(0.8) == nil)  // the estimate ends at 0.7333: beyond the data
        #expect(estimator.largestValue == 5)
    }

    @Test func aCensoredValueAtAnEventCountsAsOutlivingIt() {
        let estimator = KaplanMeier(events: [(2, 1)], censored: [(2, 1)])
        #expect(estimator.quantile(0.5) == 2)  // 1 event of 2 at risk
        #expect(estimator.quantile(0.6) == nil)
    }

    /// Fast samples plus slow removals superseded after 1.5 s: dropping the superseded ones gives a p90 of the fast
    /// ones; Kaplan-Meier moves their share above the fast ones.
    @Test func supersededSlowRemovalsRaiseTheQuantile() {
        let fast = (1...18).map { (Double($0) / 100 + 0.4, 1) }
        let slow = [(6.0, 1)]
        let censored = [(1.5, 1), (1.5, 1), (1.6, 1)]
        let dropped = KaplanMeier(events: fast + slow, censored: [])
        let kept = KaplanMeier(events: fast + slow, censored: censored)
        #expect((dropped.quantile(0.9) ?? 0) < 1)
        #expect(kept.quantile(0.9) == 6)
    }
}

@Suite struct CensoredLagWindowTests {
    @Test func narrowIntervalsCountByTheirUpperBoundWideOnesByTheirLower() {
        var window = CensoredLagWindow(window: 600, maxCensoredWidth: 5, slots: 6)
        window.record(.exact(1), at: 10)
        window.record(.interval(lower: 2, upper: 4), at: 11)
        window.record(.interval(lower: 3, upper: 600), at: 12)
        window.record(.atLeast(1.5), at: 13)
        let summary = window.summary(at: 20)
        #expect(summary.sampleCounts == SampleCounts(exact: 1, censored: 1, censoredWide: 1, rightCensored: 1))
        #expect(summary.count == 3)
        // Millisecond buckets: 4 s reads back as the bucket's highest value.
        #expect(abs((summary.maximum ?? 0) - 4) < 0.005)
        #expect(abs((summary.quantile(1) ?? 0) - 4) < 0.005)
        #expect(!summary.quantileIsLowerBound(0.5))
    }

    @Test func withoutRightCensoringItIsThePlainWindow() {
        var window = CensoredLagWindow(window: 600, maxCensoredWidth: 5)
        var plain = LagWindow(window: 600)
        for lag in stride(from: 0.1, through: 9.9, by: 0.1) {
            window.record(.exact(lag), at: 10)
            plain.record(lag, at: 10)
        }
        for q in [0.5, 0.9, 0.99] {
            #expect(window.summary(at: 11).quantile(q) == plain.summary(at: 11).quantile(q))
        }
    }

    @Test func aCensoredTailGivesALowerBound() {
        var window = SampleWindow(window: 600)
        window.record(.exact(1), at: 10)
        window.record(.atLeast(3), at: 11)
        window.record(.atLeast(4), at: 12)
        let summary = window.summary(at: 13)
        #expect(summary.quantile(0.99) == 4)
        #expect(summary.quantileIsLowerBound(0.99))
        #expect(summary.sampleCounts == SampleCounts(exact: 1, rightCensored: 2))
    }

    @Test func theRecommendationSaysHowItsSamplesWereObserved() {
        var window = SampleWindow(window: 600)
        for _ in 0..<18 { window.record(.exact(0.5), at: 10) }
        window.record(.interval(lower: 5, upper: 6), at: 11)
        window.record(.interval(lower: 5.5, upper: 6), at: 11)
        window.record(.atLeast(1.5), at: 12)
        var policy = RecommendationPolicy()
        policy.quantile = 0.9
        let recommendation = Recommendation.compute(from: window.summary(at: 13), policy: policy)
        #expect(recommendation.samples == 20)
        #expect(recommendation.sampleCounts == SampleCounts(exact: 18, censored: 2, rightCensored: 1))
        #expect(recommendation.preStopSeconds == 7)  // the censored 6 s removals count by their upper bound
    }
}
