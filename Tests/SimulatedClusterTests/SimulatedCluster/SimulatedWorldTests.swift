import SimulatedCluster
import Testing

extension SimulatedClusterTests {
    @Suite struct SimulatedWorldTests {
        /// A world whose fakes are not listening: the world writes to them in-process.
        static func makeWorld(_ configuration: SimulatedWorld.Configuration) -> SimulatedWorld {
            SimulatedWorld(
                kubernetes: FakeKubernetesAPI(configuration: .init(historyLimit: 1_000)),
                apisix: FakeAPISIXAdmin(),
                configuration: configuration
            )
        }

        /// Starts `world`, runs it in the background while `body` runs, then stops it.
        static func whileRunning(_ world: SimulatedWorld, _ body: () async throws -> Void) async throws {
            await world.start()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await world.run() }
                try await body()
                group.cancelAll()
            }
        }

        @Test func theSameSeedGivesTheSameActions() async {
            func actions(seed: UInt64) async -> [WorldAction] {
                let world = Self.makeWorld(.init(seed: seed))
                await world.start()
                world.fastForward(by: 120)
                return world.actions
            }
            let first = await actions(seed: 2024)
            let second = await actions(seed: 2024)
            let other = await actions(seed: 2025)
            #expect(first == second)
            #expect(first != other)
            let kinds = Set(first.map(\.kind))
            #expect(kinds.isSuperset(of: [.scale, .roll, .podCreated, .podReady, .podTerminating, .podDeleted]))
            #expect(first.last.map { $0.time <= 120 } == true)
        }

        @Test func anExcludedServiceIsLeftAloneByTheChurnAndARevertPicksAmongTheGivenNodes() async {
            let world = Self.makeWorld(.init(seed: 2024, services: 2, replicas: 3...5, churnExcluded: [0]))
            await world.start()
            let nodes = world.readyNodes(service: "checkout")
            let chosen = try? #require(nodes.sorted().last)
            let action = world.revert(service: "checkout", readyAgainAfter: 30, among: chosen.map { [$0] })
            #expect(action.map { "\($0.address ?? ""):8080" } == chosen)
            #expect(action?.detail == "ready again after 30.0 s")
            #expect(world.readyNodes(service: "checkout") == nodes.subtracting(chosen.map { [$0] } ?? []))
            #expect(world.revert(service: "checkout", readyAgainAfter: 1, among: ["10.9.9.9:8080"]) == nil)
            world.fastForward(by: 60)
            // Only the scripted revert touched checkout (its recovery at 30 s); catalog churned.
            let checkout = world.actions.filter {
                $0.service == "checkout" && !($0.kind == .podCreated && $0.time == 0)
            }
            .map(\.kind)
            #expect(checkout == [.revert, .podNotReady, .podReady])
            #expect(world.actions.contains { $0.service == "catalog" && [.scale, .roll].contains($0.kind) })
            #expect(world.readyNodes(service: "checkout") == nodes)
        }

        @Test func servicesSlicesAndInitialUpstreams() async throws {
            let world = Self.makeWorld(.init(seed: 1, services: 8, replicas: 5...5, maxEndpointsPerSlice: 2))
            #expect(
                world.serviceNames == [
                    "checkout", "catalog", "cart", "search", "payments", "profile", "svc-7", "svc-8",
                ]
            )
            await world.start()
            let slices = world.kubernetes.slices
            #expect(slices.count == 8 * 3)
            for (index, service) in world.serviceNames.enumerated() {
                let own = slices.filter { $0.serviceName == service }
                #expect(own.count == 3)
                #expect(own.allSatisfy { $0.namespace == "demo" && $0.name.hasPrefix("\(service)-") })
                #expect(own.allSatisfy { ($0.endpoints?.count ?? 0) <= 2 })
                #expect(own.allSatisfy { $0.ports == [FakeEndpointPort(name: "http", port: 8080)] })
                let addresses = own.flatMap { $0.endpoints ?? [] }.flatMap(\.addresses)
                #expect(addresses.count == 5)
                #expect(addresses.allSatisfy { $0.hasPrefix("10.\(index + 1).") })
                let ready = world.readyNodes(service: service)
                #expect(ready == Set(addresses.map { "\($0):8080" }))

                let name = SimulatedIngressController.upstreamName(namespace: "demo", service: service, port: 80)
                let upstream = try #require(
                    world.apisix.upstream(id: .string(SimulatedIngressController.upstreamID(name: name)))
                )
                #expect(upstream.name == name)
                guard case .nodes(.array(let nodes)) = upstream.backend else {
                    Issue.record("nodes are not in the array form: \(upstream.backend)")
                    continue
                }
                #expect(Set(nodes.map(\.hashKey)) == ready)
                #expect(nodes.allSatisfy { $0.weight == 100 })
            }
            #expect(world.controller.truth.isEmpty)
        }

        @Test func podsNeverReuseAnIP() async {
            let world = Self.makeWorld(
                .init(
                    seed: 9,
                    services: 3,
                    replicas: 1...4,
                    churnInterval: 0.2...0.5,
                    terminationPeriod: 0.5,
                    actionLogLimit: 100_000
                )
            )
            await world.start()
            world.fastForward(by: 120)
            let created = world.actions.filter { $0.kind == .podCreated }.compactMap(\.address)
            #expect(created.count == world.statistics.podsCreated)
            #expect(created.count > 400)
            #expect(Set(created).count == created.count)
            let listed = world.kubernetes.slices.flatMap { $0.endpoints ?? [] }.flatMap(\.addresses)
            #expect(Set(listed).count == listed.count)
        }

        @Test func aRollReplacesEveryPodOneAtATime() async throws {
            let world = Self.makeWorld(
                .init(seed: 5, services: 1, replicas: 3...3, churn: false, startupDelay: 1...1, terminationPeriod: 2)
            )
            await world.start()
            let before = world.readyNodes(service: "checkout")
            #expect(world.roll(service: "checkout")?.kind == .roll)
            for _ in 0..<20 {
                world.fastForward(by: 0.5)
                // maxUnavailable 0: never fewer than 3 ready endpoints.
                #expect(world.readyNodes(service: "checkout").count >= 3)
            }
            let after = world.readyNodes(service: "checkout")
            #expect(after.count == 3)
            #expect(after.isDisjoint(with: before))
            #expect(world.statistics.pendingFollowUps == 0)
        }

        @Test func churnConvergesInAPISIXOnceItStops() async throws {
            let world = Self.makeWorld(
                .init(
                    seed: 3,
                    services: 3,
                    replicas: 1...3,
                    churnInterval: 0.02...0.05,
                    startupDelay: 0.01...0.03,
                    terminationPeriod: 0.05,
                    // Pods that shut down as quickly as the termination period (not the demo's long preStops).
                    workloads: [SimulatedWorkload(exitSeconds: 0.05)],
                    controller: .init(lag: .fixed(0.02))
                )
            )
            try await Self.whileRunning(world) {
                try await world.controller.waitUntil { $0.truthRecords >= 20 }
                world.churnEnabled = false
                try await world.waitUntilSettled()
                try await world.controller.waitUntilIdle()
                for service in world.serviceNames {
                    let name = SimulatedIngressController.upstreamName(namespace: "demo", service: service, port: 80)
                    let upstream = world.apisix.upstream(id: .string(SimulatedIngressController.upstreamID(name: name)))
                    guard case .nodes(let nodes) = upstream?.backend else {
                        Issue.record("no upstream for \(service)")
                        continue
                    }
                    #expect(Set(nodes.nodes.map(\.hashKey)) == world.readyNodes(service: service))
                }
            }
            let truth = world.controller.truth
            #expect(truth.filter { $0.outcome == .synced }.allSatisfy { ($0.lag ?? 0) >= 0.02 })
            #expect(world.controller.pendingChanges.isEmpty)
        }
    }
}
