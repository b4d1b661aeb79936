import Testing

@testable import APISIXSyncExporter

/// The lag engine driven with explicit timestamps (the injected clock).
@Suite struct LagEngineTests {
    let key = ServicePortKey(namespace: "shop", service: "web", port: "http")
    let a = NodeAddress(host: "10.0.0.1", port: 8080)
    let b = NodeAddress(host: "10.0.0.2", port: 8080)
    let c = NodeAddress(host: "10.0.0.3", port: 8080)

    /// An engine where Kubernetes and one APISIX target agree on {a, b} at t=100.
    func converged(targets: [String] = ["apisix-0:9180"]) -> LagEngine {
        var engine = LagEngine(changeTimeout: 600)
        _ = engine.desiredChanged(key, to: [a, b], at: 100, startKnown: false)
        for target in targets { _ = engine.observed(ObservedNodes([a, b]), target: target, for: key, at: 100) }
        return engine
    }

    @Test func removalIsTimedFromTheEventToTheFirstPollThatReflectsIt() {
        var engine = converged()
        #expect(engine.desiredChanged(key, to: [a], at: 200).isEmpty)
        #expect(engine.observed(ObservedNodes([a, b]), target: "apisix-0:9180", for: key, at: 201).isEmpty)
        let events = engine.observed(ObservedNodes([a]), target: "apisix-0:9180", for: key, at: 202.5)
        #expect(events.contains(.synced(key, .remove, lag: 2.5, node: b)))
        #expect(events.contains(.instanceSynced(target: "apisix-0:9180", key, .remove, lag: 2.5, node: b)))
        #expect(engine.pending(key).isEmpty)
    }

    @Test func additionIsTimedUntilTheNodeIsRouted() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a, b, c], at: 300)
        let events = engine.observed(ObservedNodes([a, b, c]), target: "apisix-0:9180", for: key, at: 300.4)
        #expect(
            events.contains(.synced(key, .add, lag: 0.4000000000000341, node: c))
                || events.contains { event in
                    if case .synced(_, .add, let lag, _) = event { return abs(lag - 0.4) < 1e-9 }
                    return false
                }
        )
    }

    @Test func aChangeAPISIXReflectedBeforeItHappenedIsUnobservedNotZero() {
        var engine = converged()
        // APISIX dropped b before Kubernetes did (a stale write or a flap): that look predates the change.
        _ = engine.observed(ObservedNodes([a]), target: "apisix-0:9180", for: key, at: 150)
        let events = engine.desiredChanged(key, to: [a], at: 151)
        #expect(events == [.unobserved(key, .remove, .reflectedBeforeChange, node: b)])
    }

    @Test func aRevertBeforeAPISIXReflectsTheChangeIsSuperseded() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        let events = engine.desiredChanged(key, to: [a, b], at: 201)
        // No target applied it: its lower bound waits for a late write of it (or for the revert to be forgotten).
        #expect(events == [.superseded(key, .remove, atLeast: nil, node: b)])
        #expect(engine.pending(key).isEmpty)
        #expect(engine.observed(ObservedNodes([a, b]), target: "apisix-0:9180", for: key, at: 202).isEmpty)
    }

    @Test func aFailedRequestThenAReflectingLookIsCensoredBetweenTheLooks() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        _ = engine.observed(ObservedNodes([a, b]), target: "apisix-0:9180", for: key, at: 201)
        engine.targetFailed("apisix-0:9180")
        engine.targetRecovered("apisix-0:9180")
        let events = engine.observed(ObservedNodes([a]), target: "apisix-0:9180", for: key, at: 230)
        #expect(events == [.censored(key, .remove, lower: 1, upper: 30, node: b)])
    }

    @Test func aChangeWhileTheTargetIsDownIsCensoredFromItsStartToTheFirstGoodLook() {
        var engine = converged()
        engine.maxUncertainty = 0.5
        engine.targetFailed("apisix-0:9180")
        _ = engine.desiredChanged(key, to: [a], at: 200)
        engine.targetRecovered("apisix-0:9180")
        // The first successful look already shows the change: it happened between the start and that look.
        #expect(
            engine.observed(ObservedNodes([a]), target: "apisix-0:9180", for: key, at: 201)
                == [.censored(key, .remove, lower: 0, upper: 1, node: b)]
        )
        engine.targetFailed("apisix-0:9180")
        _ = engine.desiredChanged(key, to: [], at: 300)
        engine.targetRecovered("apisix-0:9180")
        // A first good look that shows the change unreflected makes its end exact again.
        #expect(engine.observed(ObservedNodes([a]), target: "apisix-0:9180", for: key, at: 300.1).isEmpty)
        let events = engine.observed(ObservedNodes([]), target: "apisix-0:9180", for: key, at: 300.2)
        #expect(
            events.contains { if case .synced(_, .remove, let lag, a) = $0 { abs(lag - 0.2) < 1e-9 } else { false } }
        )
    }

    @Test func changesNotReflectedInTimeTimeOut() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        #expect(engine.expire(at: 799).isEmpty)
        #expect(engine.expire(at: 800) == [.timedOut(key, .remove, node: b)])
        #expect(engine.pending(key).isEmpty)
    }

    /// The gauges' summaries agree with the full views, whatever random histories of two targets lead to.
    @Test func gaugeSummariesAgreeWithTheFullViews() {
        let nodes = (1...6).map { NodeAddress(host: "10.0.0.\($0)", port: 8080) }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var engine = converged(targets: ["x", "y"])
            var time = 100.0
            for _ in 0..<12 {
                time += 0.5
                let subset = Set(nodes.filter { _ in Bool.random(using: &generator) })
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: _ = engine.desiredChanged(key, to: subset, at: time)
                case 1: _ = engine.observed(ObservedNodes(subset), target: "x", for: key, at: time)
                default:
                    let other = Set(nodes.filter { _ in Bool.random(using: &generator) })
                    _ = engine.observed(ObservedNodes(combining: [subset, other]), target: "y", for: key, at: time)
                }
                let full = engine.divergence(key)
                #expect(engine.divergenceCounts(key) == (full.stale.count, full.missing.count))
                var expected: [ChangeKind: (count: Int, oldest: Timestamp)] = [:]
                for change in engine.pending(key) {
                    let count = (expected[change.kind]?.count ?? 0) + 1
                    expected[change.kind] = (count, min(expected[change.kind]?.oldest ?? change.since, change.since))
                }
                let summary = engine.pendingSummary(key)
                #expect(summary.count == expected.count)
                for (kind, entry) in expected {
                    #expect(summary[kind]?.count == entry.count && summary[kind]?.oldest == entry.oldest)
                }
            }
        }
    }

    /// The sets of ports with pending or expiring work, kept as states are stored, follow every kind of step:
    /// changes, looks, timeouts, removed ports, revisits.
    @Test func portKeySetsFollowRandomHistories() {
        let nodes = (1...4).map { NodeAddress(host: "10.0.0.\($0)", port: 8080) }
        let keys = ["a", "b", "c"].map { ServicePortKey(namespace: "shop", service: $0, port: "http") }
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            var engine = LagEngine(changeTimeout: 30)
            var time = 100.0
            for _ in 0..<40 {
                time += [0.2, 1, 5, 20].randomElement(using: &generator) ?? 1
                let key = keys.randomElement(using: &generator) ?? keys[0]
                let subset = Set(nodes.filter { _ in Bool.random(using: &generator) })
                switch Int.random(in: 0..<5, using: &generator) {
                case 0: _ = engine.desiredChanged(key, to: subset, at: time)
                case 1: _ = engine.desiredChanged(key, to: nil, at: time)
                case 2: _ = engine.observed(ObservedNodes(subset), target: "x", for: key, at: time)
                case 3: _ = engine.observed(nil, target: "x", for: key, at: time)
                default: _ = engine.expire(at: time)
                }
                #expect(engine.keyIndexesAreExact)
            }
        }
    }

    /// The accuracy benchmark's early outlier: remove, re-add, then a watch failure, then remove again, while the
    /// controller still has the first removal queued. Its late write drops the node right after the second removal;
    /// that must not be timed as the second removal's lag.
    @Test func aRevertNobodyAppliedStillPoisonsTheNextChangeAfterAWatchFailure() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        _ = engine.observed(ObservedNodes([a, b]), target: "apisix-0:9180", for: key, at: 200.5)
        #expect(
            engine.desiredChanged(key, to: [a, b], at: 201) == [.superseded(key, .remove, atLeast: nil, node: b)]
        )
        engine.kubernetesInterrupted(expired: true)
        _ = engine.desiredChanged(key, to: [a, b], at: 202, startKnown: false)  // the relist: nothing changed
        #expect(engine.kubernetesResumed().isEmpty)
        _ = engine.desiredChanged(key, to: [a], at: 203)
        let events = engine.observed(ObservedNodes([a]), target: "apisix-0:9180", for: key, at: 203.3)
        // Not a sample: only a lower bound (the queued write could have done it).
        #expect(events == [.censored(key, .remove, lower: 0, upper: .infinity, node: b)])
    }

    /// The same when the re-add itself fell into the watch gap and only the relist showed it.
    @Test func aRevertSeenOnlyByTheRelistStillPoisonsTheNextChange() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        engine.kubernetesInterrupted(expired: true)
        _ = engine.desiredChanged(key, to: [a, b], at: 202, startKnown: false)
        _ = engine.kubernetesResumed()
        _ = engine.desiredChanged(key, to: [a], at: 203)
        let events = engine.observed(ObservedNodes([a]), target: "apisix-0:9180", for: key, at: 203.3)
        #expect(!events.contains { if case .synced = $0 { true } else { false } })
    }

    /// A late stale write of a revert whose time is not known (it fell into a watch gap) is tracked, but not timed.
    @Test func aLateStaleWriteOfAnUntimedRevertRecordsNoSample() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        engine.kubernetesInterrupted(expired: true)
        _ = engine.desiredChanged(key, to: [a, b], at: 202, startKnown: false)
        _ = engine.kubernetesResumed()
        // The controller writes the removal late, then the re-add: the removal's lag is only a lower bound (which
        // write was it, after a gap?), and the re-add is not timed.
        #expect(
            engine.observed(ObservedNodes([a]), target: "apisix-0:9180", for: key, at: 203) == [
                .supersededLag(key, .remove, .atLeast(0), node: b)
            ]
        )
        let events = engine.observed(ObservedNodes([a, b]), target: "apisix-0:9180", for: key, at: 204)
        #expect(events == [.unobserved(key, .add, .unappliedRevert, node: b)])
    }

    @Test func divergenceAtStartUpIsTrackedButRecordsNoSample() {
        var engine = LagEngine(changeTimeout: 600)
        _ = engine.desiredChanged(key, to: [a], at: 10, startKnown: false)
        // APISIX still routes to b, which Kubernetes no longer lists: a stale node of unknown age.
        _ = engine.observed(ObservedNodes([a, b]), target: "apisix-0:9180", for: key, at: 11)
        #expect(engine.divergence(key).stale == [b])
        #expect(engine.pending(key).map(\.startKnown) == [false])
        #expect(
            engine.observed(ObservedNodes([a]), target: "apisix-0:9180", for: key, at: 15) == [
                .unobserved(key, .remove, .startup, node: b)
            ]
        )
    }

    @Test func aRelistDifferenceRecordsNoSample() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a], at: 200, startKnown: false)
        #expect(
            engine.observed(ObservedNodes([a]), target: "apisix-0:9180", for: key, at: 201) == [
                .unobserved(key, .remove, .relist, node: b)
            ]
        )
    }

    @Test func theServiceLagWaitsForTheLastTarget() {
        var engine = converged(targets: ["apisix-0:9180", "apisix-1:9180"])
        _ = engine.desiredChanged(key, to: [a], at: 200)
        let first = engine.observed(ObservedNodes([a]), target: "apisix-0:9180", for: key, at: 201)
        #expect(first == [.instanceSynced(target: "apisix-0:9180", key, .remove, lag: 1, node: b)])
        let second = engine.observed(ObservedNodes([a]), target: "apisix-1:9180", for: key, at: 204)
        #expect(second.contains(.instanceSynced(target: "apisix-1:9180", key, .remove, lag: 4, node: b)))
        #expect(second.contains(.synced(key, .remove, lag: 4, node: b)))
    }

    @Test func aRemovalIsReflectedOnlyWhenNoMappedUpstreamRoutesToTheNode() {
        var engine = LagEngine(changeTimeout: 600)
        _ = engine.desiredChanged(key, to: [a, b], at: 100, startKnown: false)
        _ = engine.observed(.init(combining: [[a, b], [a, b]]), target: "t", for: key, at: 100)
        _ = engine.desiredChanged(key, to: [a], at: 200)
        #expect(engine.observed(.init(combining: [[a], [a, b]]), target: "t", for: key, at: 201).isEmpty)
        #expect(
            engine.observed(.init(combining: [[a], [a]]), target: "t", for: key, at: 202).contains(
                .synced(key, .remove, lag: 2, node: b)
            )
        )
    }

    @Test func losingTheMappingEndsPendingChangesUnobserved() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        #expect(
            engine.observed(nil, target: "apisix-0:9180", for: key, at: 201) == [
                .unobserved(key, .remove, .mappingChanged, node: b)
            ]
        )
        #expect(engine.targets(of: key).isEmpty)
    }

    @Test func unmappedServicePortsAreNotTracked() {
        var engine = LagEngine(changeTimeout: 600)
        _ = engine.desiredChanged(key, to: [a, b], at: 100, startKnown: false)
        #expect(engine.desiredChanged(key, to: [a], at: 200).isEmpty)
        #expect(engine.pending(key).isEmpty)
    }

    @Test func deletingTheServiceDropsItsState() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        #expect(engine.desiredChanged(key, to: nil, at: 201).isEmpty)
        #expect(engine.keys.isEmpty)
    }

    @Test func aRevertOfAChangeOneTargetAppliedIsTimedOnThatTarget() {
        var engine = converged(targets: ["t0", "t1"])
        _ = engine.desiredChanged(key, to: [a], at: 200)
        _ = engine.observed(ObservedNodes([a]), target: "t0", for: key, at: 201)  // t0 removed b, t1 did not yet
        let revert = engine.desiredChanged(key, to: [a, b], at: 202)
        #expect(revert == [.superseded(key, .remove, atLeast: 1, node: b)])
        // Only t0 has to add b back; t1 never removed it and records no instance lag.
        let events = engine.observed(ObservedNodes([a, b]), target: "t0", for: key, at: 203)
        #expect(events.contains(.synced(key, .add, lag: 1, node: b)))
        #expect(!events.contains { if case .instanceSynced(target: "t1", _, _, _, _) = $0 { true } else { false } })
    }
}

/// Rules that keep imprecise or stale observations out of the samples.
@Suite struct LagEnginePrecisionTests {
    let key = ServicePortKey(namespace: "shop", service: "web", port: "http")
    let a = NodeAddress(host: "10.0.0.1", port: 8080)
    let b = NodeAddress(host: "10.0.0.2", port: 8080)
    let c = NodeAddress(host: "10.0.0.3", port: 8080)

    func converged(maxUncertainty: Double = 1.2) -> LagEngine {
        var engine = LagEngine(changeTimeout: 600, maxUncertainty: maxUncertainty)
        _ = engine.desiredChanged(key, to: [a, b], at: 100, startKnown: false)
        _ = engine.observed(ObservedNodes([a, b]), target: "t", for: key, at: 100)
        return engine
    }

    @Test func aReflectionSeenAfterAPollingStallIsCensoredBetweenTheLooks() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        _ = engine.observed(ObservedNodes([a, b]), target: "t", for: key, at: 200.5)
        // The next look at the target comes 3 s later (backoff): the change happened somewhere within those 3 s.
        #expect(
            engine.observed(ObservedNodes([a]), target: "t", for: key, at: 203.5) == [
                .censored(key, .remove, lower: 0.5, upper: 3.5, node: b)
            ]
        )
    }

    /// Looks that show what the previous look showed take the quick path (only the last look's time moves): the
    /// last of them still bounds a reverted change.
    @Test func looksAtAnUnchangedViewMoveTheLastLook() {
        var engine = LagEngine(changeTimeout: 600, maxUncertainty: 1.2)
        _ = engine.desiredChanged(key, to: [a, b], at: 100, startKnown: false)
        for target in ["t", "u"] { _ = engine.observed(ObservedNodes([a, b]), target: target, for: key, at: 100) }
        _ = engine.desiredChanged(key, to: [a], at: 200)
        _ = engine.observed(ObservedNodes([a]), target: "t", for: key, at: 201)
        for time in [200.5, 201.0, 201.5, 202.5] {
            #expect(engine.observed(ObservedNodes([a, b]), target: "u", for: key, at: time).isEmpty)
        }
        // u was last seen without the change at 202.5: the revert at 203 shows the lag exceeded 2.5 s.
        #expect(engine.desiredChanged(key, to: [a, b], at: 203) == [.superseded(key, .remove, atLeast: 2.5, node: b)])
    }

    /// A target that already showed a divergence found while it was down has not reflected it yet in the engine's
    /// eyes; its first good look, at the same view, does: the quick path must not pass over it.
    @Test func aLookAtAnUnchangedViewEndsWhatATargetShowedWhileItWasDown() {
        var engine = LagEngine(changeTimeout: 600, maxUncertainty: 1.2)
        _ = engine.observed(ObservedNodes([a]), target: "t", for: key, at: 100)
        _ = engine.observed(ObservedNodes([a, b]), target: "u", for: key, at: 100)
        engine.targetFailed("u")
        _ = engine.desiredChanged(key, to: [a, b], at: 101, startKnown: false)
        #expect(engine.pending(key).first?.targets["u"]?.reflectedAt == nil)
        engine.targetRecovered("u")
        _ = engine.observed(ObservedNodes([a, b]), target: "u", for: key, at: 102)
        #expect(engine.pending(key).first?.targets["u"]?.reflectedAt == 102)
    }

    @Test func aReflectionSeenByRegularPollingIsTimed() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a], at: 200)
        for step in 1...10 {
            _ = engine.observed(ObservedNodes([a, b]), target: "t", for: key, at: 200 + Double(step) * 0.1)
        }
        let events = engine.observed(ObservedNodes([a]), target: "t", for: key, at: 201.1)
        #expect(events.contains { if case .synced(_, .remove, _, b) = $0 { true } else { false } })
    }

    @Test func aLateStaleWriteOfARevertedAdditionIsTimedFromTheRevert() {
        var engine = converged()
        // c becomes ready at 200 and is removed again at 201, before APISIX ever routed to it.
        _ = engine.desiredChanged(key, to: [a, b, c], at: 200)
        #expect(engine.desiredChanged(key, to: [a, b], at: 201) == [.superseded(key, .add, atLeast: nil, node: c)])
        _ = engine.observed(ObservedNodes([a, b]), target: "t", for: key, at: 201.1)
        // The controller then writes its stale snapshot with c (the addition's lag: 1.2 s), and removes c 1.5 s after
        // the revert.
        let late = engine.observed(ObservedNodes([a, b, c]), target: "t", for: key, at: 201.2)
        #expect(late.count == 1)
        if case .supersededLag(_, .add, .exact(let lag), c) = late.first {
            #expect(abs(lag - 1.2) < 1e-6)
        } else {
            Issue.record("expected the late write to time the reverted addition, got \(late)")
        }
        #expect(engine.pending(key).map(\.kind) == [.remove])
        for step in 3...14 {
            _ = engine.observed(ObservedNodes([a, b, c]), target: "t", for: key, at: 201 + Double(step) * 0.1)
        }
        let events = engine.observed(ObservedNodes([a, b]), target: "t", for: key, at: 202.5)
        #expect(events.contains(.synced(key, .remove, lag: 1.5, node: c)))
    }

    @Test func redoingARevertedChangeCannotBeTimed() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a, b, c], at: 200)
        _ = engine.desiredChanged(key, to: [a, b], at: 201)
        _ = engine.desiredChanged(key, to: [a, b, c], at: 202)
        // c shows up in APISIX: the controller's late write of the first addition or its write of the second?
        #expect(
            engine.observed(ObservedNodes([a, b, c]), target: "t", for: key, at: 202.1) == [
                .censored(key, .add, lower: 0, upper: .infinity, node: c)
            ]
        )
    }

    @Test func aRevertNobodyAppliedLaterRecordsNothing() {
        var engine = converged()
        _ = engine.desiredChanged(key, to: [a, b, c], at: 200)
        _ = engine.desiredChanged(key, to: [a, b], at: 201)
        #expect(engine.observed(ObservedNodes([a, b]), target: "t", for: key, at: 201.1).isEmpty)
        #expect(engine.pending(key).isEmpty)
        // The ghost expires with the change timeout.
        _ = engine.expire(at: 900)
        #expect(engine.observed(ObservedNodes([a, b, c]), target: "t", for: key, at: 901).isEmpty)
        #expect(engine.pending(key).isEmpty)
    }
}
