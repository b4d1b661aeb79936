import Testing

@testable import APISIXSyncExporter

/// A target whose view is continuously current (the etcd source while its watch is open and caught up) needs no looks
/// between its observations: its last look is always now. Explicit timestamps (the injected clock).
@Suite struct LagEngineContinuousObservationTests {
    let key = ServicePortKey(namespace: "shop", service: "web", port: "http")
    let a = NodeAddress(host: "10.0.0.1", port: 8080)
    let b = NodeAddress(host: "10.0.0.2", port: 8080)
    let target = "etcd:127.0.0.1:2379"

    /// Kubernetes and the target agree on {a, b} at t=100; the target is observed continuously from then on.
    func watched() -> LagEngine {
        var engine = LagEngine(changeTimeout: 600, maxUncertainty: 1.2)
        _ = engine.desiredChanged(key, to: [a, b], at: 100, startKnown: false)
        _ = engine.observed(ObservedNodes([a, b]), target: target, for: key, at: 100)
        engine.setContinuouslyObserved(target, true, at: 100)
        return engine
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
        // The watch fails at 201: the view was current until then, not after.
        engine.setContinuouslyObserved(target, false, at: 201)
        engine.targetFailed(target)
        engine.targetRecovered(target)
        let events = engine.observed(ObservedNodes([a]), target: target, for: key, at: 204)
        #expect(events.contains(.censored(key, .remove, lower: 1, upper: 4, node: b)))
    }

    @Test func theObservationThatMakesTheViewCurrentCountsFromTheLooksBefore() {
        var engine = watched()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        engine.setContinuouslyObserved(target, false, at: 200.5)
        engine.targetFailed(target)
        engine.targetRecovered(target)
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
