import Testing

@testable import APISIXSyncExporter

/// Issue #12's rules: a fault ends a pending change only when it makes its start or end unknown. Every test drives the
/// engine with explicit timestamps (the injected clock).
@Suite struct LagEngineFaultTests {
    let key = ServicePortKey(namespace: "shop", service: "slow", port: "http")
    let a = NodeAddress(host: "10.0.0.1", port: 8080)
    let b = NodeAddress(host: "10.0.0.2", port: 8080)
    let c = NodeAddress(host: "10.0.0.3", port: 8080)
    let target = "apisix-0:9180"

    /// Kubernetes and one APISIX target agree on {a, b} at t=100; fast polls every 100 ms.
    func converged() -> LagEngine {
        var engine = LagEngine(changeTimeout: 600, maxUncertainty: 1.2)
        _ = engine.desiredChanged(key, to: [a, b], at: 100, startKnown: false)
        _ = engine.observed(ObservedNodes([a, b]), target: target, for: key, at: 100)
        return engine
    }

    /// Fast polls of an unreflected change from `from` to `to` (inclusive) every 100 ms.
    func poll(_ engine: inout LagEngine, _ nodes: Set<NodeAddress>, from: Double, to: Double) {
        var time = from
        while time <= to + 1e-9 {
            #expect(engine.observed(ObservedNodes(nodes), target: target, for: key, at: time).isEmpty)
            time += 0.1
        }
    }

    func synced(_ events: [LagEvent], lag expected: Double, node: NodeAddress) -> Bool {
        events.contains {
            if case .synced(_, .remove, let lag, node) = $0 { abs(lag - expected) < 1e-6 } else { false }
        }
    }

    // MARK: Kubernetes watch

    @Test func aWatchThatEndsAndResumesLeavesAPendingRemovalExact() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        poll(&engine, [a, b], from: 200.1, to: 201)
        engine.kubernetesInterrupted(expired: false)  // connection reset; resumes from the last resourceVersion
        poll(&engine, [a, b], from: 201.1, to: 205.9)
        // APISIX drops b while the watch is away: held until the watch is back (a revert could arrive replayed).
        #expect(engine.observed(ObservedNodes([a]), target: target, for: key, at: 206).isEmpty)
        let released = engine.kubernetesResumed()
        #expect(synced(released, lag: 6, node: b))
    }

    @Test func aRevertReplayedAfterTheWatchIsBackSupersedesAHeldOutcome() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        engine.kubernetesInterrupted(expired: false)
        #expect(engine.observed(ObservedNodes([a]), target: target, for: key, at: 201).isEmpty)
        // The replayed event says b came back at some time in the gap: APISIX may have applied a stale removal.
        let events = engine.desiredChanged(key, to: [a, b], at: 202, unknownStart: .replayed)
        #expect(events.contains(.superseded(key, .remove, atLeast: nil, node: b)))
        #expect(engine.kubernetesResumed().isEmpty)
    }

    @Test func a410WithTheNodeUnchangedKeepsTheStart() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        poll(&engine, [a, b], from: 200.1, to: 200.5)
        engine.kubernetesInterrupted(expired: true)
        // The relist shows b still removed: nothing changed for b, its removal keeps its start.
        #expect(engine.desiredChanged(key, to: [a], at: 201, startKnown: false).isEmpty)
        #expect(engine.kubernetesResumed().isEmpty)
        poll(&engine, [a, b], from: 201.1, to: 205.9)
        let events = engine.observed(ObservedNodes([a]), target: target, for: key, at: 206)
        #expect(synced(events, lag: 6, node: b))
    }

    @Test func aWriteThatCoincidesWithA410IsKeptWhenTheRelistAgrees() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        poll(&engine, [a, b], from: 200.1, to: 203.9)
        engine.kubernetesInterrupted(expired: true)
        #expect(engine.observed(ObservedNodes([a]), target: target, for: key, at: 204).isEmpty)  // held
        #expect(engine.desiredChanged(key, to: [a], at: 204.3, startKnown: false).isEmpty)
        #expect(synced(engine.kubernetesResumed(), lag: 4, node: b))
    }

    @Test func a410WithTheNodeChangedEndsAsSupersededAndRecordsNoSample() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        poll(&engine, [a, b], from: 200.1, to: 201)
        engine.kubernetesInterrupted(expired: true)
        // The relist shows b ready again: the removal was reverted at an unknown time in the gap.
        let events = engine.desiredChanged(key, to: [a, b], at: 202, startKnown: false)
        #expect(events == [.superseded(key, .remove, atLeast: nil, node: b)])
        #expect(engine.kubernetesResumed().isEmpty)
        #expect(engine.pending(key).isEmpty)
        // Nobody applied it; when the revert is forgotten, its lower bound is what is known: the look at 201 still
        // routed to b.
        let forgotten = engine.expire(at: 900)
        #expect(forgotten.count == 1)
        if case .supersededLag(_, .remove, .atLeast(let bound), b) = forgotten.first {
            #expect(abs(bound - 1) < 1e-6)
        } else {
            Issue.record("expected the removal's lower bound, got \(forgotten)")
        }
    }

    @Test func a410WithAHeldCompletionAndTheNodeChangedRecordsNoSample() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        engine.kubernetesInterrupted(expired: true)
        #expect(engine.observed(ObservedNodes([a]), target: target, for: key, at: 201).isEmpty)
        let events = engine.desiredChanged(key, to: [a, b], at: 202, startKnown: false)
        #expect(events.contains(.superseded(key, .remove, atLeast: nil, node: b)))
        #expect(!events.contains { if case .synced = $0 { true } else { false } })
        #expect(engine.kubernetesResumed().isEmpty)
    }

    @Test func aChangeFoundByARelistIsCensoredByTheGap() {
        var engine = converged()
        engine.kubernetesInterrupted(expired: true)
        // The relist at 202 shows b removed; the watch was last known current at 201.4.
        #expect(engine.desiredChanged(key, to: [a], at: 202, unknownStart: .relist, earliestStart: 201.4).isEmpty)
        _ = engine.kubernetesResumed()
        poll(&engine, [a, b], from: 202.1, to: 204.9)
        let events = engine.observed(ObservedNodes([a]), target: target, for: key, at: 205)
        guard case .censored(_, .remove, let lower, let upper, b) = events.first else {
            Issue.record("expected a censored removal, got \(events)")
            return
        }
        #expect(abs(lower - 3) < 1e-6 && abs(upper - 3.6) < 1e-6)
    }

    @Test func aReplayedChangeWithoutAKnownGapStaysUnobserved() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a], at: 202, unknownStart: .replayed)
        let events = engine.observed(ObservedNodes([a]), target: target, for: key, at: 203)
        #expect(events == [.unobserved(key, .remove, .replayed, node: b)])
    }

    @Test func aGapChangeOnANodeWithAnUnappliedRevertStaysUnobserved() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        _ = engine.desiredChanged(key, to: [a, b], at: 201)  // nobody applied the removal: it may still be written
        _ = engine.desiredChanged(key, to: [a], at: 203, unknownStart: .replayed, earliestStart: 202)
        let events = engine.observed(ObservedNodes([a]), target: target, for: key, at: 204)
        #expect(events.contains(.unobserved(key, .remove, .replayed, node: b)))
    }

    // MARK: APISIX outages

    @Test func anOutageInTheMiddleOfASlowWaitKeepsTheEndExact() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        poll(&engine, [a, b], from: 200.1, to: 201.5)
        for _ in 0..<10 { engine.targetFailed(target) }  // 2.5 s of 503s
        engine.targetRecovered(target)
        // The first good look after the outage still shows b: the change goes on, its end stays exact.
        poll(&engine, [a, b], from: 204, to: 205.9)
        let events = engine.observed(ObservedNodes([a]), target: target, for: key, at: 206)
        #expect(synced(events, lag: 6, node: b))
        #expect(events.contains(.instanceSynced(target: target, key, .remove, lag: 6, node: b)))
    }

    @Test func aWriteDuringAnOutageIsCensoredBetweenTheLastAndTheFirstGoodLook() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        poll(&engine, [a, b], from: 200.1, to: 203)
        engine.targetFailed(target)  // 3 s outage; APISIX drops b during it
        engine.targetRecovered(target)
        let events = engine.observed(ObservedNodes([a]), target: target, for: key, at: 206.1)
        #expect(events.count == 1)
        guard case .censored(_, .remove, let lower, let upper, b) = events.first else {
            Issue.record("expected a censored removal, got \(events)")
            return
        }
        #expect(abs(lower - 3) < 1e-6 && abs(upper - 6.1) < 1e-6)
    }

    @Test func aLongRetryAfterCensorsTheChangeWithAWideInterval() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        poll(&engine, [a, b], from: 200.1, to: 200.5)
        engine.targetFailed(target)  // 503 with Retry-After: the poller waits 10 s
        engine.targetRecovered(target)
        let events = engine.observed(ObservedNodes([a]), target: target, for: key, at: 210.5)
        guard case .censored(_, .remove, let lower, let upper, _) = events.first else {
            Issue.record("expected a censored removal, got \(events)")
            return
        }
        #expect(abs(lower - 0.5) < 1e-6 && abs(upper - 10.5) < 1e-6)
        // Wider than 5 s: the recommendation counts it by its lower bound.
        #expect(LagSample.interval(lower: lower, upper: upper).counted(maxWidth: 5).value == lower)
    }

    @Test func theFirstChangeAfterRecoveryIsTimedExactly() {
        var engine = converged()
        engine.targetFailed(target)
        engine.targetRecovered(target)
        poll(&engine, [a, b], from: 205, to: 205)  // the look that ended the outage
        _ = engine.desiredChanged(key, to: [a], at: 206)
        poll(&engine, [a, b], from: 206.1, to: 207.2)
        let events = engine.observed(ObservedNodes([a]), target: target, for: key, at: 207.3)
        #expect(synced(events, lag: 1.3, node: b))
    }

    @Test func anExactTargetBeyondACensoredOneMakesTheServiceLagExact() {
        var engine = LagEngine(changeTimeout: 600, maxUncertainty: 1.2)
        _ = engine.desiredChanged(key, to: [a, b], at: 100, startKnown: false)
        _ = engine.observed(ObservedNodes([a, b]), target: "t0", for: key, at: 100)
        _ = engine.observed(ObservedNodes([a, b]), target: "t1", for: key, at: 100)
        _ = engine.desiredChanged(key, to: [a], at: 200)
        _ = engine.observed(ObservedNodes([a, b]), target: "t0", for: key, at: 200.5)
        engine.targetFailed("t0")
        engine.targetRecovered("t0")
        _ = engine.observed(ObservedNodes([a]), target: "t0", for: key, at: 202)  // t0 censored in [0.5, 2]
        for step in 1...39 {
            _ = engine.observed(ObservedNodes([a, b]), target: "t1", for: key, at: 200 + 0.1 * Double(step))
        }
        let events = engine.observed(ObservedNodes([a]), target: "t1", for: key, at: 204)
        #expect(synced(events, lag: 4, node: b))
    }

    // MARK: Reverts

    @Test func aSupersededRemovalKeepsItsLowerBound() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        poll(&engine, [a, b], from: 200.1, to: 201.5)
        #expect(
            engine.desiredChanged(key, to: [a, b], at: 201.55) == [.superseded(key, .remove, atLeast: nil, node: b)]
        )
        // The controller never writes the stale removal: once the revert is forgotten, the lower bound counts.
        let events = engine.expire(at: 900)
        guard case .supersededLag(_, .remove, .atLeast(let bound), b) = events.first else {
            Issue.record("expected the removal's lower bound, got \(events)")
            return
        }
        #expect(abs(bound - 1.5) < 1e-6)
    }

    /// A slow Service that flaps: Kubernetes re-adds the node 1.5 s after removing it, the controller still writes the
    /// removal 4 s after it, then the re-add. The late write is when APISIX applied the removal: its lag.
    @Test func aLateWriteOfASupersededRemovalIsItsLag() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        poll(&engine, [a, b], from: 200.1, to: 201.5)
        #expect(
            engine.desiredChanged(key, to: [a, b], at: 201.55) == [.superseded(key, .remove, atLeast: nil, node: b)]
        )
        // The port stays fast-polled for the late write.
        #expect(engine.hasPendingWork(key, target: target))
        poll(&engine, [a, b], from: 201.6, to: 203.9)
        let late = engine.observed(ObservedNodes([a]), target: target, for: key, at: 204)
        #expect(late.count == 1)
        if case .supersededLag(_, .remove, .exact(let lag), b) = late.first {
            #expect(abs(lag - 4) < 1e-6)
        } else {
            Issue.record("expected the removal's lag from the late write, got \(late)")
        }
        // The re-add is now pending from the revert, and timed when APISIX applies it.
        poll(&engine, [a], from: 204.1, to: 205.9)
        let readd = engine.observed(ObservedNodes([a, b]), target: target, for: key, at: 206)
        #expect(readd.contains { if case .synced(_, .add, let lag, b) = $0 { abs(lag - 4.45) < 1e-6 } else { false } })
    }

    /// The accuracy benchmark's "flap twice": the pod flaps, then flaps again while the controller still has the first
    /// flap's writes queued. The queued re-add lands after the second re-add: it must not time the second re-add.
    @Test func aPodThatFlapsTwiceBeforeTheControllerCatchesUpRecordsNoEarlySample() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a], at: 200)  // remove b
        _ = engine.desiredChanged(key, to: [a, b], at: 201)  // re-add b: superseded, nobody applied it
        _ = engine.desiredChanged(key, to: [a], at: 204)  // remove b again (start unknown: a stale write may come)
        _ = engine.desiredChanged(key, to: [a, b], at: 205)  // re-add b again
        // The controller now writes the first flap: the removal (stale), then the first re-add.
        poll(&engine, [a, b], from: 205.1, to: 205.9)
        _ = engine.observed(ObservedNodes([a]), target: target, for: key, at: 206)
        poll(&engine, [a], from: 206.1, to: 206.9)
        let events = engine.observed(ObservedNodes([a, b]), target: target, for: key, at: 207)
        #expect(!events.contains { if case .synced = $0 { true } else { false } }, "\(events)")
    }

    /// The accuracy benchmark's seed 5: a slow pod flaps three times in 10 s; the controller writes every flap 6 s
    /// late, in order. Each stale write lands right after a newer change: none of them may be timed as that change.
    @Test func aNodeThatKeepsFlappingIsNotTimedUntilItsWritesSettle() {
        var engine = converged()
        // A known lag of 6 s on the port.
        _ = engine.desiredChanged(key, to: [a, b, c], at: 150)
        poll(&engine, [a, b], from: 150.1, to: 155.9)
        _ = engine.observed(ObservedNodes([a, b, c]), target: target, for: key, at: 156)
        let changes: [(Double, Set<NodeAddress>)] = [
            (200, [a, c]), (201.2, [a, b, c]), (205.6, [a, c]), (206.6, [a, b, c]), (208.6, [a, c]),
            (209.6, [a, b, c]),
        ]
        var events: [LagEvent] = []
        var time = 200.0
        var next = 0
        while time < 216 {
            while next < changes.count, changes[next].0 <= time {
                events += engine.desiredChanged(key, to: changes[next].1, at: changes[next].0)
                next += 1
            }
            // APISIX: each change written 6 s after it, in order.
            let written = changes.last { $0.0 + 6 <= time }?.1 ?? [a, b, c]
            events += engine.observed(ObservedNodes(written), target: target, for: key, at: time)
            time += 0.1
        }
        #expect(!events.contains { if case .synced = $0 { true } else { false } }, "\(events)")
        #expect(!events.contains { if case .supersededLag(_, _, .exact, _) = $0 { true } else { false } })
        // Once the node has been quiet for the settling horizon, its next change is timed again.
        _ = engine.expire(at: 240)
        _ = engine.desiredChanged(key, to: [a, c], at: 240)
        poll(&engine, [a, b, c], from: 240.1, to: 241.9)
        let later = engine.observed(ObservedNodes([a, c]), target: target, for: key, at: 242)
        #expect(synced(later, lag: 2, node: b))
    }

    @Test func aLateWriteAfterAnOutageIsCensored() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        poll(&engine, [a, b], from: 200.1, to: 201)
        _ = engine.desiredChanged(key, to: [a, b], at: 201.05)
        poll(&engine, [a, b], from: 201.1, to: 202)
        engine.targetFailed(target)
        engine.targetRecovered(target)
        let late = engine.observed(ObservedNodes([a]), target: target, for: key, at: 205)
        guard case .supersededLag(_, .remove, .interval(let lower, let upper), b) = late.first else {
            Issue.record("expected an interval, got \(late)")
            return
        }
        #expect(abs(lower - 2) < 1e-6 && abs(upper - 5) < 1e-6)
    }

    @Test func lateWritesAreFastPolledOnlyForAWhile() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        _ = engine.desiredChanged(key, to: [a, b], at: 201)
        #expect(engine.keysWithPendingWork(target: target) == [key])
        _ = engine.expire(at: 201 + LagEngine.lateWriteWatch)
        #expect(engine.keysWithPendingWork(target: target).isEmpty)
    }

    @Test func aSupersededChangeOfUnknownStartHasNoBound() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a], at: 200, unknownStart: .replayed)
        #expect(engine.desiredChanged(key, to: [a, b], at: 201) == [.superseded(key, .remove, atLeast: nil, node: b)])
    }
}
