import Testing

@testable import APISIXSyncExporter

/// `WorkloadVerdict.decide` and the verdicts' sort order.
@Suite struct WorkloadVerdictTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var preStop: PreStopAction
        var grace: Int
        var lagP99: Double?
        var recommended: Int?
        var verdict: WorkloadVerdict
        var testDescription: String { "\(preStop) grace \(grace) p99 \(lagP99 ?? -1) rec \(recommended ?? -1)" }
    }

    @Test(arguments: [
        Case(preStop: .sleep(seconds: 30), grace: 30, lagP99: 2, recommended: 5, verdict: .exceedsGrace),
        Case(preStop: .sleep(seconds: 40), grace: 30, lagP99: nil, recommended: nil, verdict: .exceedsGrace),
        Case(
            preStop: .execSleep(seconds: 31, command: ["sleep", "31"]),
            grace: 30,
            lagP99: 2,
            recommended: nil,
            verdict: .exceedsGrace
        ),
        Case(preStop: .unknown(form: "httpGet"), grace: 30, lagP99: 2, recommended: 5, verdict: .unknown),
        Case(preStop: .unknown(form: "exec"), grace: 30, lagP99: nil, recommended: nil, verdict: .unknown),
        Case(preStop: .sleep(seconds: 5), grace: 30, lagP99: nil, recommended: 5, verdict: .noData),
        Case(preStop: .sleep(seconds: 5), grace: 30, lagP99: .nan, recommended: 5, verdict: .noData),
        Case(preStop: .none, grace: 30, lagP99: 0.4, recommended: nil, verdict: .tooShort),
        Case(preStop: .sleep(seconds: 2), grace: 30, lagP99: 2.5, recommended: nil, verdict: .tooShort),
        Case(preStop: .sleep(seconds: 3), grace: 30, lagP99: 2.5, recommended: 5, verdict: .tooShort),
        Case(preStop: .sleep(seconds: 3), grace: 30, lagP99: .infinity, recommended: nil, verdict: .tooShort),
        Case(preStop: .none, grace: 0, lagP99: 1, recommended: nil, verdict: .tooShort),
        Case(preStop: .sleep(seconds: 3), grace: 30, lagP99: 2.5, recommended: nil, verdict: .ok),
        Case(preStop: .sleep(seconds: 5), grace: 30, lagP99: 5, recommended: 5, verdict: .ok),
        Case(preStop: .none, grace: 30, lagP99: 0, recommended: 0, verdict: .ok),
        Case(
            preStop: .execSleep(seconds: 10, command: ["sh", "-c", "sleep 10"]),
            grace: 11,
            lagP99: 3,
            recommended: 6,
            verdict: .ok
        ),
    ])
    func decides(_ example: Case) {
        let verdict = WorkloadVerdict.decide(
            preStop: example.preStop,
            grace: example.grace,
            lagP99: example.lagP99,
            recommendedPreStop: example.recommended
        )
        #expect(verdict == example.verdict)
    }

    @Test func atRiskVerdictsSortFirst() {
        #expect(WorkloadVerdict.allCases.shuffled().sorted() == WorkloadVerdict.allCases)
        #expect(WorkloadVerdict.exceedsGrace < .tooShort)
        #expect(!(WorkloadVerdict.ok < .ok))
        #expect(WorkloadVerdict.allCases.filter(\.atRisk) == [.exceedsGrace, .tooShort])
    }
}
