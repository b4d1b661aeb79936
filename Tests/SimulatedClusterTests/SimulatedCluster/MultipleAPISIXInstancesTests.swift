import AsyncHTTPClient
import Foundation
import SimulatedCluster
import TestSupport
import Testing

extension SimulatedClusterTests {
    /// Several APISIX instances driven by one controller, each with its own lag and truth, published as the
    /// EndpointSlices of an APISIX Service and added or removed at run time.
    @Suite struct MultipleAPISIXInstancesTests {
        typealias Shapes = APISIXShapes
        static let upstreamID = FakeUpstream.ID.string(SimulatedIngressController.upstreamID(name: "demo_checkout_80"))

        static func configuration(apisixService: SimulatedAPISIXService? = nil) -> SimulatedWorld.Configuration {
            SimulatedWorlds.multipleInstances(apisixService: apisixService)
        }

        @Test func eachInstanceHasItsOwnLagAndTruth() async throws {
            let fast = FakeAPISIXAdmin(configuration: .init(name: "apisix-0"))
            let slow = FakeAPISIXAdmin(configuration: .init(name: "apisix-1", workerDelay: .milliseconds(300)))
            let world = SimulatedWorld(
                kubernetes: FakeKubernetesAPI(),
                instances: [.init(apisix: fast, lag: .fixed(0.5)), .init(apisix: slow, lag: .fixed(2))],
                configuration: Self.configuration()
            )
            #expect(world.apisix === fast)
            #expect(world.apisixInstances.map(\.name) == ["apisix-0", "apisix-1"])
            try await SimulatedWorldTests.whileRunning(world) {
                let removed = try #require(world.scale(service: "checkout", to: 2))
                _ = removed
                try await world.controller.waitForTruth(count: 1, timeout: .seconds(10))
                // The fast instance has it while the slow one does not yet.
                #expect(
                    Set(fast.upstream(id: Self.upstreamID)?.backendNodeKeys ?? [])
                        == world.readyNodes(service: "checkout")
                )
                #expect(slow.upstream(id: Self.upstreamID)?.backendNodeKeys.count == 3)
                try await world.controller.waitForTruth(count: 2, timeout: .seconds(10))
                let fastTruth = try #require(world.controller.truth(instance: "apisix-0").first)
                let slowTruth = try #require(world.controller.truth(instance: "apisix-1").first)
                #expect(fastTruth.node == slowTruth.node)
                #expect(fastTruth.kubernetesTime == slowTruth.kubernetesTime)
                let fastLag = try #require(fastTruth.lag)
                let slowLag = try #require(slowTruth.lag)
                // Lower bounds are the injected delays; on a loaded machine writes come later, never earlier.
                #expect(fastLag >= 0.5 && fastLag < slowLag, "fast lag \(fastLag), slow lag \(slowLag)")
                #expect(slowLag >= 2, "slow lag \(slowLag)")
                // The Service-level record is the last instance's.
                let serviceLevel = TruthRecord.serviceLevel(world.controller.truth)
                #expect(serviceLevel.count == 1)
                #expect(serviceLevel.first?.instance == "apisix-1")
                #expect(serviceLevel.first?.lag == slowLag)
                // Worker times follow each instance's worker delay.
                #expect(fastTruth.workerTime == fastTruth.apisixTime)
                let workerLag = try #require(slowTruth.workerLag)
                #expect(abs(workerLag - slowLag - 0.3) < 0.001)
                #expect(
                    Set(slow.upstream(id: Self.upstreamID)?.backendNodeKeys ?? [])
                        == world.readyNodes(service: "checkout")
                )
                try await slow.waitForWorkers { upstreams in upstreams.first?.backendNodeKeys.count == 2 }
            }
        }

        @Test func serviceLevelTruthWaitsForTheLastInstance() {
            func record(
                _ instance: String,
                _ node: String,
                _ outcome: TruthRecord.Outcome,
                _ apisix: Double?
            ) -> TruthRecord {
                TruthRecord(
                    namespace: "demo",
                    service: "checkout",
                    portName: "http",
                    node: node,
                    upstreamID: "u",
                    kind: .remove,
                    outcome: outcome,
                    kubernetesTime: 100,
                    apisixTime: apisix,
                    revertTime: outcome == .superseded ? 100.05 : nil,
                    instance: instance
                )
            }
            let records = [
                record("a", "10.0.0.1:80", .synced, 100.5),
                record("a", "10.0.0.2:80", .synced, 100.5),
                record("b", "10.0.0.2:80", .superseded, nil),
                record("b", "10.0.0.1:80", .synced, 102),
            ]
            let serviceLevel = TruthRecord.serviceLevel(records)
            #expect(serviceLevel.map(\.node) == ["10.0.0.2:80", "10.0.0.1:80"])
            #expect(serviceLevel.map(\.outcome) == [.superseded, .synced])
            #expect(serviceLevel[1].instance == "b")
            #expect(serviceLevel[1].lag == 2)
        }

        @Test func instancesCanBeAddedAndRemovedWhileRunning() async throws {
            let first = FakeAPISIXAdmin(configuration: .init(name: "apisix-0"))
            let world = SimulatedWorld(
                kubernetes: FakeKubernetesAPI(),
                instances: [.init(apisix: first)],
                configuration: Self.configuration()
            )
            try await SimulatedWorldTests.whileRunning(world) {
                let second = FakeAPISIXAdmin(configuration: .init(name: "apisix-1"))
                #expect(try await world.addAPISIXInstance(.init(apisix: second, lag: .fixed(0.05))))
                #expect(!world.controller.addInstance(.init(apisix: second)))
                // Synced at once, without truth.
                #expect(
                    Set(second.upstream(id: Self.upstreamID)?.backendNodeKeys ?? [])
                        == world.readyNodes(service: "checkout")
                )
                #expect(world.controller.truth.isEmpty)

                world.scale(service: "checkout", to: 2)
                try await world.controller.waitForTruth(count: 2)
                #expect(Set(world.controller.truth.map(\.instance)) == ["apisix-0", "apisix-1"])

                // A removed instance gets no more writes and no truth; its server is stopped.
                #expect(await world.removeAPISIXInstance(named: "apisix-1"))
                #expect(!(await world.removeAPISIXInstance(named: "apisix-1")))
                #expect(world.apisixInstances.map(\.name) == ["apisix-0"])
                world.scale(service: "checkout", to: 1)
                try await world.controller.waitForTruth(count: 3)
                try await world.controller.waitUntilIdle()
                #expect(world.controller.truth.last?.instance == "apisix-0")
                #expect(second.upstream(id: Self.upstreamID)?.backendNodeKeys.count == 2)
                #expect(first.upstream(id: Self.upstreamID)?.backendNodeKeys.count == 1)
            }
        }

        @Test func apisixPodsArePublishedAsEndpointSlicesAndFollowAddAndRemove() async throws {
            let kubernetes = FakeKubernetesAPI()
            try await kubernetes.start()
            let first = FakeAPISIXAdmin(configuration: .init(host: "127.0.0.1", name: "apisix-0", controlPort: 0))
            let second = FakeAPISIXAdmin(configuration: .init(host: "127.0.0.2", name: "apisix-1", controlPort: 0))
            try await first.start()
            try await second.start()
            let world = SimulatedWorld(
                kubernetes: kubernetes,
                instances: [.init(apisix: first), .init(apisix: second)],
                configuration: Self.configuration(apisixService: SimulatedAPISIXService())
            )
            let third = FakeAPISIXAdmin(configuration: .init(host: "127.0.0.3", name: "apisix-2", controlPort: 0))
            let collection =
                kubernetes.baseURL + "/apis/discovery.k8s.io/v1/namespaces/ingress-apisix/endpointslices"
                + "?labelSelector=app.kubernetes.io%2Fname%3Dapisix"
            do {
                try await withTestClient(connectTimeout: .milliseconds(200)) { client in
                    try await SimulatedWorldTests.whileRunning(world) {
                        let list = try await fetch(client, collection).jsonObject()
                        let pods = try Self.pods(list)
                        #expect(pods.keys.sorted() == ["apisix-0", "apisix-1"])
                        #expect(pods["apisix-0"]?.address == "127.0.0.1")
                        #expect(pods["apisix-0"]?.adminPort == first.port)
                        #expect(pods["apisix-1"]?.address == "127.0.0.2")
                        #expect(pods["apisix-1"]?.controlPort == second.controlPort)
                        #expect(pods.values.allSatisfy { $0.ready && $0.serviceName == "apisix-admin" })
                        // The admin URL built from the slice reaches the instance.
                        let upstreams = try await Shapes.send(
                            client,
                            "http://127.0.0.2:\(second.port)/apisix/admin/upstreams",
                            key: nil
                        )
                        #expect(try upstreams.jsonObject()["total"] as? Int == 1)

                        // Watch from the list's version while a pod is added and another removed.
                        let metadata = try #require(list["metadata"] as? [String: Any])
                        let version = try #require(metadata["resourceVersion"] as? String)
                        let watch = try await openStream(client, collection + "&watch=1&resourceVersion=\(version)")
                        var reader = LineReader(watch)
                        var seen: [String: [String: Pod]] = [:]

                        #expect(try await world.addAPISIXInstance(.init(apisix: third)))
                        try await Self.next(&reader, &seen) { $0["apisix-2"]?.ready == true }
                        #expect(
                            Set(third.upstream(id: Self.upstreamID)?.backendNodeKeys ?? [])
                                == world.readyNodes(service: "checkout")
                        )

                        #expect(await world.removeAPISIXInstance(named: "apisix-0"))
                        try await Self.next(&reader, &seen) {
                            $0["apisix-0"]?.terminating == true && $0["apisix-0"]?.ready == false
                        }
                        try await Self.next(&reader, &seen) { $0["apisix-0"] == nil }
                        await #expect(throws: (any Error).self) {
                            _ = try await Shapes.send(client, first.baseURL + "/apisix/admin/upstreams", key: nil)
                        }
                        let after = try Self.pods(try await fetch(client, collection).jsonObject())
                        #expect(after.keys.sorted() == ["apisix-1", "apisix-2"])
                    }
                }
            } catch {
                await Self.stopAll(kubernetes, [first, second, third])
                throw error
            }
            await Self.stopAll(kubernetes, [first, second, third])
        }

        /// One APISIX pod as read from the slices.
        struct Pod {
            let address: String
            let adminPort: Int?
            let controlPort: Int?
            let ready: Bool
            let terminating: Bool
            let serviceName: String?
        }

        /// The pods of a list of slices (or of a single slice from a watch event), by target Pod name.
        static func pods(_ list: [String: Any]) throws -> [String: Pod] {
            let slices = list["items"] as? [[String: Any]] ?? [list]
            var pods: [String: Pod] = [:]
            for slice in slices {
                let metadata = slice["metadata"] as? [String: Any] ?? [:]
                let labels = metadata["labels"] as? [String: String] ?? [:]
                let ports = slice["ports"] as? [[String: Any]] ?? []
                let port = { (name: String) in ports.first { $0["name"] as? String == name }?["port"] as? Int }
                for endpoint in slice["endpoints"] as? [[String: Any]] ?? [] {
                    let conditions = endpoint["conditions"] as? [String: Any] ?? [:]
                    guard let name = (endpoint["targetRef"] as? [String: Any])?["name"] as? String else { continue }
                    pods[name] = Pod(
                        address: (endpoint["addresses"] as? [String])?.first ?? "",
                        adminPort: port("apisix-admin"),
                        controlPort: port("apisix-control"),
                        ready: conditions["ready"] as? Bool ?? true,
                        terminating: conditions["terminating"] as? Bool ?? false,
                        serviceName: labels["kubernetes.io/service-name"]
                    )
                }
            }
            return pods
        }

        /// Reads watch events, keeping the pods of every slice seen in `slices`, until `condition` holds for all
        /// pods.
        static func next(
            _ reader: inout LineReader,
            _ slices: inout [String: [String: Pod]],
            until condition: ([String: Pod]) -> Bool
        ) async throws {
            while let event = try await reader.nextEvent() {
                let name = event.name ?? ""
                slices[name] = event.type == "DELETED" ? nil : try Self.pods(event.object)
                let pods = slices.values.reduce(into: [String: Pod]()) { $0.merge($1) { _, new in new } }
                if condition(pods) {
                    return
                }
            }
            Issue.record("the watch ended before the condition held")
        }

        static func stopAll(_ kubernetes: FakeKubernetesAPI, _ instances: [FakeAPISIXAdmin]) async {
            for instance in instances {
                await instance.stop()
            }
            await kubernetes.stop()
        }
    }
}
