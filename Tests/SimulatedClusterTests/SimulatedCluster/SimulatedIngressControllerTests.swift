import SimulatedCluster
import Testing

extension SimulatedClusterTests {
    @Suite struct SimulatedIngressControllerTests {
        static let upstreamID = FakeUpstream.ID.string(
            SimulatedIngressController.upstreamID(name: "demo_checkout_80")
        )

        /// One Service (`checkout`) without churn (and without pods: endpoints terminate at once).
        static func makeWorld(
            replicas: Int,
            lag: LagDistribution,
            startupDelay: Double = 0.05,
            terminationPeriod: Double = 30,
            writeMode: SimulatedIngressController.WriteMode = .snapshot
        ) -> SimulatedWorld {
            SimulatedWorldTests.makeWorld(
                .init(
                    seed: 77,
                    services: 1,
                    replicas: replicas...replicas,
                    churn: false,
                    startupDelay: startupDelay...startupDelay,
                    terminationPeriod: terminationPeriod,
                    // These tests time terminations by `terminationPeriod`: the world without pods.
                    pods: false,
                    controller: .init(lag: lag, slowService: nil, writeMode: writeMode)
                )
            )
        }

        static func apisixNodes(_ world: SimulatedWorld) -> Set<String> {
            guard case .nodes(let nodes) = world.apisix.upstream(id: Self.upstreamID)?.backend else { return [] }
            return Set(nodes.nodes.map(\.hashKey))
        }

        static func terminated(_ world: SimulatedWorld) -> [String] {
            world.actions.filter { $0.kind == .podTerminating }.compactMap { $0.address.map { "\($0):8080" } }
        }

        @Test func writesLandInOrderAfterTheirDelays() async throws {
            // The second change is faster (50 ms) than the first (300 ms), but must not land before it.
            let world = Self.makeWorld(replicas: 3, lag: .sequence([0.3, 0.05]))
            try await SimulatedWorldTests.whileRunning(world) {
                #expect(Self.apisixNodes(world).count == 3)
                #expect(world.controller.statistics.upstreamWrites == 1)
                world.scale(service: "checkout", to: 2)
                world.scale(service: "checkout", to: 1)
                try await world.controller.waitForTruth(count: 2)
                let truth = world.controller.truth
                #expect(truth.map(\.node) == Self.terminated(world))
                #expect(truth.allSatisfy { $0.kind == .remove && $0.outcome == .synced && $0.portName == "http" })
                #expect(truth.allSatisfy { $0.upstreamID == Self.upstreamID.description })
                // Both snapshots fell due together: one write, with the newest one.
                #expect(world.controller.statistics.upstreamWrites == 2)
                #expect(truth[0].apisixTime == truth[1].apisixTime)
                let lags = truth.compactMap(\.lag)
                // Never early; late only by the run loop's scheduling. The bounds are generous: on a 2-core CI
                // machine, tests that run kubectl, Chromium and Prometheus beside this one have stalled the world's
                // run loop for over 3 s.
                #expect(lags[0] >= 0.3 && lags[0] < 6, "lag \(lags[0])")
                #expect(lags[1] >= 0.25 && lags[1] < 6, "lag \(lags[1])")
                #expect(Self.apisixNodes(world) == world.readyNodes(service: "checkout"))
                #expect(Self.apisixNodes(world).count == 1)
            }
        }

        @Test func aRevertFasterThanTheControllerIsSuperseded() async throws {
            // The recovery's write (50 ms) is clamped to the removal's (300 ms): only the newest snapshot is
            // written, which equals what APISIX has, so nothing is written and the removal is superseded.
            let world = Self.makeWorld(replicas: 2, lag: .sequence([0.3, 0.05]))
            try await SimulatedWorldTests.whileRunning(world) {
                let revert = try #require(world.revert(service: "checkout"))
                // The recovery, 50 ms later, at once: independent of how soon the run loop gets a thread.
                world.fastForward(by: 0.05)
                try await world.controller.waitForTruth(count: 1)
                let record = try #require(world.controller.truth.first)
                #expect(record.node == revert.address.map { "\($0):8080" })
                #expect(record.kind == .remove)
                #expect(record.outcome == .superseded)
                #expect(record.lag == nil)
                let revertTime = try #require(record.revertTime)
                #expect(revertTime >= record.kubernetesTime && revertTime - record.kubernetesTime < 0.3)
                #expect(world.controller.statistics.upstreamWrites == 1)
                #expect(world.controller.statistics.skippedWrites == 1)
                #expect(Self.apisixNodes(world).count == 2)
            }
        }

        @Test func inLatestModeChangesRideAlongAndRevertsAreSuperseded() async throws {
            let world = Self.makeWorld(replicas: 3, lag: .fixed(0.3), writeMode: .latest)
            try await SimulatedWorldTests.whileRunning(world) {
                world.scale(service: "checkout", to: 2)
                let revert = try #require(world.revert(service: "checkout"))
                world.fastForward(by: 0.05)
                world.scale(service: "checkout", to: 1)
                // The first write (due 300 ms after the first change) carries all three changes.
                try await world.controller.waitForTruth(count: 3)
                let truth = world.controller.truth
                #expect(world.controller.statistics.upstreamWrites == 2)
                let removed = Set(Self.terminated(world))
                #expect(Set(truth.filter { $0.outcome == .synced }.map(\.node)) == removed)
                #expect(truth.filter { $0.outcome == .superseded }.map(\.node) == [revert.address.map { "\($0):8080" }])
                #expect(Set(truth.compactMap(\.apisixTime)).count == 1)
                try await world.controller.waitUntilIdle()
                #expect(world.controller.truth.count == 3)
                #expect(Self.apisixNodes(world) == world.readyNodes(service: "checkout"))
            }
        }

        @Test func aFixedDelayIsTheTrueLag() async throws {
            let world = Self.makeWorld(replicas: 2, lag: .fixed(0.1))
            try await SimulatedWorldTests.whileRunning(world) {
                world.scale(service: "checkout", to: 1)
                try await world.controller.waitForTruth(count: 1)
                world.scale(service: "checkout", to: 2)
                try await world.controller.waitForTruth(count: 2)
                let truth = world.controller.truth
                #expect(truth.map(\.kind) == [.remove, .add])
                for record in truth {
                    let lag = try #require(record.lag)
                    #expect(lag >= 0.1 && lag < 2.1, "lag \(lag)")
                }
                let created = world.actions.last { $0.kind == .podCreated }?.address
                #expect(truth[1].node == created.map { "\($0):8080" })
                #expect(Self.apisixNodes(world) == world.readyNodes(service: "checkout"))
            }
        }

        @Test func truthOfAScriptedRun() async throws {
            let world = Self.makeWorld(replicas: 2, lag: .fixed(0.05), terminationPeriod: 0.2)
            let controller = world.controller
            try await SimulatedWorldTests.whileRunning(world) {
                // Remove: the terminating pod leaves the ready set; its deletion later changes nothing.
                world.scale(service: "checkout", to: 1)
                try await controller.waitForTruth(count: 1)
                try await world.waitUntilSettled()
                try await controller.waitUntilIdle()
                #expect(controller.truth.count == 1)

                // Add: the new pod joins once it has started.
                world.scale(service: "checkout", to: 2)
                try await controller.waitForTruth(count: 2)

                // Revert while the controller is paused: the removal never reaches APISIX.
                controller.paused = true
                let revert = try #require(world.revert(service: "checkout"))
                try await world.waitUntilSettled()
                #expect(controller.statistics.queuedWrites == 2)
                #expect(controller.pendingChanges.isEmpty)
                let writes = controller.statistics.upstreamWrites
                controller.paused = false
                try await controller.waitForTruth(count: 3)
                #expect(controller.statistics.upstreamWrites == writes)
                #expect(controller.statistics.skippedWrites == 1)

                // Rebalance: two slice writes, no change of the ready set, no truth.
                let rebalance = try #require(world.rebalance(service: "checkout"))
                try await controller.waitUntilIdle()
                #expect(controller.truth.count == 3)
                #expect(controller.statistics.upstreamWrites == writes)
                let slices = world.kubernetes.slices
                #expect(slices.count == 2)
                let holding = slices.filter { slice in
                    slice.endpoints?.contains { $0.addresses == [rebalance.address ?? ""] } == true
                }
                #expect(holding.count == 1)

                // A change queued during a pause is pending until the controller resumes.
                controller.paused = true
                world.scale(service: "checkout", to: 1)
                let pending = controller.pendingChanges
                #expect(pending.map(\.kind) == [.remove])
                #expect(pending.map(\.outcome) == [.pending])
                controller.paused = false
                try await controller.waitForTruth(count: 4)

                let truth = controller.truth
                let removed = Self.terminated(world)
                #expect(truth.map(\.kind) == [.remove, .add, .remove, .remove])
                #expect(truth.map(\.outcome) == [.synced, .synced, .superseded, .synced])
                #expect(truth[0].node == removed.first)
                #expect(truth[2].node == revert.address.map { "\($0):8080" })
                #expect(truth[2].apisixTime == nil)
                let revertTime = try #require(truth[2].revertTime)
                #expect(revertTime > truth[2].kubernetesTime)
                #expect(truth[3].node == removed.last)
                #expect(truth[3].node == pending.first?.node)
                #expect(truth[0...1].allSatisfy { ($0.lag ?? 0) >= 0.05 })
                // Written on resume, without waiting for its delay.
                #expect(truth[3].lag.map { $0 >= 0 } == true)
                #expect(Self.apisixNodes(world) == world.readyNodes(service: "checkout"))
            }
        }

        @Test func aBurstEndsConsistent() async throws {
            let world = Self.makeWorld(replicas: 3, lag: .fixed(0.02))
            try await SimulatedWorldTests.whileRunning(world) {
                let burst = try #require(world.burst(service: "checkout", count: 4))
                #expect(burst.kind == .burst)
                try await world.waitUntilSettled()
                try await world.controller.waitUntilIdle()
                let changes = world.actions.filter { [.podNotReady, .podReady].contains($0.kind) }
                #expect(changes.count >= 4)
                if let first = changes.first, let fourth = changes.dropFirst(3).first {
                    #expect(fourth.time - first.time < 1)
                }
                #expect(world.readyNodes(service: "checkout").count == 3)
                #expect(Self.apisixNodes(world) == world.readyNodes(service: "checkout"))
                #expect(world.controller.truth.count >= 2)
            }
        }

        @Test func aServiceLagReplacesTheLagForItsServiceAndARevertCanLast() async throws {
            // checkout (index 0) takes 0.4-0.5 s per change, catalog the fixed 20 ms.
            let world = SimulatedWorldTests.makeWorld(
                .init(
                    seed: 78,
                    services: 2,
                    replicas: 2...2,
                    churn: false,
                    startupDelay: 0.05...0.05,
                    controller: .init(lag: .fixed(0.02), slowService: nil, serviceLag: [0: .uniform(0.4...0.5)])
                )
            )
            #expect(LagDistribution.uniform(0.4...0.5).median == 0.45)
            try await SimulatedWorldTests.whileRunning(world) {
                // Ready again after 1 s: longer than the delay, so the removal reaches APISIX, then the return.
                let slow = try #require(world.revert(service: "checkout", readyAgainAfter: 1))
                #expect(slow.kind == .revert)
                let fast = try #require(world.revert(service: "catalog", readyAgainAfter: 1))
                try await world.controller.waitForTruth(count: 4, timeout: .seconds(20))
                let truth = world.controller.truth
                // Upper bounds: the run loop's scheduling on a loaded machine (see writesLandInOrderAfterTheirDelays).
                for (action, service, range) in [(slow, "checkout", 0.4...6), (fast, "catalog", 0.02...6)] {
                    let records = truth.filter { $0.service == service }
                    #expect(records.map(\.kind) == [.remove, .add], "\(service)")
                    #expect(
                        records.allSatisfy { $0.node == action.address.map { "\($0):8080" } && $0.outcome == .synced }
                    )
                    for lag in records.compactMap(\.lag) { #expect(range.contains(lag), "\(service) lag \(lag)") }
                    if records.count == 2 {
                        #expect(records[1].kubernetesTime - records[0].kubernetesTime >= 0.9)
                    }
                }
            }
        }
    }
}
