import Testing

@testable import APISIXSyncExporter

/// A target whose view is continuously current (the etcd source while its watch is open and caught up) needs no looks
/// between its observations: its last look is always now. Explicit timestamps (the injected clock).
@Suite struct LagEngineContinuousObservationTests {
    /// The fault tests' port, nodes and target.
    let fixture = LagEngineFaultTests()
    var key: ServicePortKey { fixture.key }
    var a: NodeAddress { fixture.a }
    var b: NodeAddress { fixture.b }
    var target: String { fixture.target }

    /// Kubernetes and the target agree on {a, b} at t=100; the target is observed continuously from then on.
    func watched() -> LagEngine {
        var engine = fixture.converged()
        engine.setContinuouslyObserved(target, true, at: 100)
        return engine
    }

    /// The view stops being known current at `time` (a failed watch), and a request succeeds again.
    func fail(_ engine: inout LagEngine, at time: Double) {
        engine.setContinuouslyObserved(target, false, at: time)
        engine.targetFailed(target)
        engine.targetRecovered(target)
    }

    @Test func aSlowChangeEndedByAMessageIsExactWithoutAnyLookInBetween() {
        var engine = watched()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        // No look for 3 s (more than the 1.2 s uncertainty a poller may have): the message that drops b is exact.
        let events = engine.observed(ObservedNodes([a]), target: target, for: key, at: 203)
        #expect(events.contains(.synced(key, .remove, lag: 3, node: b)))
    }

    @Test func withoutContinuousObservationTheSameWaitIsCensored() {
        var engine = watched()
        engine.setContinuouslyObserved(target, false, at: 150)
        _ = engine.desiredChanged(key, to: [a], at: 200)
        let events = engine.observed(ObservedNodes([a]), target: target, for: key, at: 203)
        #expect(events.contains(.censored(key, .remove, lower: 0, upper: 3, node: b)))
    }

    @Test func aRevertedChangeIsBoundedByTheRevertItself() {
        var engine = watched()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        // Kubernetes takes the removal back 2.5 s later; the target never dropped b, and it said so all along.
        #expect(
            engine.desiredChanged(key, to: [a, b], at: 202.5).contains(.superseded(key, .remove, atLeast: nil, node: b))
        )
        // Nobody writes it late: once the revert is forgotten, its bound is the whole wait (polling: the last look).
        let events = engine.expire(at: 1000)
        #expect(events.contains(.supersededLag(key, .remove, .atLeast(2.5), node: b)))
    }

    @Test func aFailureEndsItAndTheOutageCensorsFromTheFailure() {
        var engine = watched()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        fail(&engine, at: 201)  // the view was current until the failure, not after
        let events = engine.observed(ObservedNodes([a]), target: target, for: key, at: 204)
        #expect(events.contains(.censored(key, .remove, lower: 1, upper: 4, node: b)))
    }

    @Test func theObservationThatMakesTheViewCurrentCountsFromTheLooksBefore() {
        var engine = watched()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        fail(&engine, at: 200.5)
        // The re-read after the outage shows b gone: censored since the failure. Only then is the view current.
        let events = engine.observed(ObservedNodes([a]), target: target, for: key, at: 203)
        engine.setContinuouslyObserved(target, true, at: 203)
        #expect(events.contains(.censored(key, .remove, lower: 0.5, upper: 3, node: b)))
        // The next change is exact again without looks.
        _ = engine.desiredChanged(key, to: [], at: 210)
        let next = engine.observed(ObservedNodes([]), target: target, for: key, at: 212)
        #expect(next.contains(.synced(key, .remove, lag: 2, node: a)))
    }
}
