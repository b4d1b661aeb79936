import Testing

@testable import APISIXSyncExporter

@Suite struct RecommendationTests {
    @Test func preStopIsTheCeilingOfQuantilePlusMargin() {
        var policy = RecommendationPolicy()
        policy.minSamples = 1
        let r = Recommendation.compute(samples: 50, quantileValue: 2.3, maximum: 3, overDelay: 0, policy: policy)
        #expect(r.status == .ok)
        #expect(r.preStopSeconds == 4)
        #expect(r.terminationGracePeriodSeconds == 30)
    }

    @Test func wholeSecondsAreNotRoundedUpAgain() {
        var policy = RecommendationPolicy()
        policy.minSamples = 1
        #expect(
            Recommendation.compute(samples: 5, quantileValue: 2.0, maximum: 2, overDelay: 0, policy: policy)
                .preStopSeconds == 3
        )
        #expect(
            Recommendation.compute(samples: 5, quantileValue: 2.0004, maximum: 2, overDelay: 0, policy: policy)
                .preStopSeconds == 3
        )
    }

    @Test func preStopIsAtLeastOneSecond() {
        var policy = RecommendationPolicy()
        policy.minSamples = 1
        policy.margin = 0
        #expect(
            Recommendation.compute(samples: 5, quantileValue: 0, maximum: 0, overDelay: 0, policy: policy)
                .preStopSeconds == 1
        )
    }

    @Test func gracePeriodAddsTheShutdownBudget() {
        var policy = RecommendationPolicy()
        policy.minSamples = 1
        let r = Recommendation.compute(samples: 5, quantileValue: 11.2, maximum: 12, overDelay: 3, policy: policy)
        #expect(r.preStopSeconds == 13)
        #expect(r.terminationGracePeriodSeconds == 38)
        #expect(r.removalsOverConfiguredDelay == 3)
    }

    @Test func insufficientDataBelowMinSamples() {
        let r = Recommendation.compute(
            samples: 19,
            quantileValue: 1,
            maximum: 1,
            overDelay: 0,
            policy: RecommendationPolicy()
        )
        #expect(r.status == .insufficientData)
        #expect(r.preStopSeconds == nil)
        #expect(r.terminationGracePeriodSeconds == nil)
    }
}

@Suite struct LagWindowTests {
    @Test func quantilesComeFromSamplesInsideTheWindow() {
        var window = LagWindow(window: 3600, slots: 6)
        for i in 1...100 { window.record(Double(i) / 10, at: 1000) }  // 0.1 ... 10.0 s
        let summary = window.summary(at: 1000)
        #expect(summary.count == 100)
        #expect(abs((summary.quantile(0.99) ?? 0) - 9.9) < 0.01)
        #expect(abs((summary.maximum ?? 0) - 10) < 0.01)
        #expect(summary.count(above: 5) == 50)
    }

    @Test func oldSamplesLeaveTheWindow() {
        var window = LagWindow(window: 600, slots: 6)
        window.record(30, at: 0)
        window.record(1, at: 500)
        #expect(window.summary(at: 550).count == 2)
        let later = window.summary(at: 750)
        #expect(later.count == 1)
        #expect(abs((later.maximum ?? 0) - 1) < 0.01)
        window.prune(at: 2000)
        #expect(window.summary(at: 2000).count == 0)
    }
}

@Suite struct SampleWindowTests {
    @Test func exactQuantilesOfTheSamplesInTheWindow() {
        var window = SampleWindow(window: 600)
        for i in 1...100 { window.record(Double(i) / 10, at: 1000 + Double(i)) }
        let summary = window.summary(at: 1100)
        #expect(summary.count == 100)
        #expect(summary.quantile(0.99) == Double(Float(9.9)))
        #expect(summary.quantile(0.5) == Double(Float(5.0)))
        #expect(summary.maximum == 10)
        #expect(summary.count(above: 5) == 50)
        #expect(window.summary(at: 1650).count == 50)  // the first 50 left the window
    }

    @Test func capacityKeepsTheNewestSamples() {
        var window = SampleWindow(window: 600, capacity: 3)
        for i in 1...5 { window.record(Double(i), at: Double(i)) }
        #expect(window.summary(at: 6).maximum == 5)
        #expect(window.summary(at: 6).count == 3)
        window.prune(at: 1000)
        #expect(window.isEmpty)
    }
}
