import AsyncHTTPClient
import Foundation
import SimulatedCluster
import TestSupport
import Testing

extension SimulatedClusterTests {
    /// The simulated world's pods: ownership, graceful deletion in the order a cluster shows it, and the truth of
    /// the deletion moment.
    @Suite struct SimulatedWorldPodTests {
        static func configuration(
            seed: UInt64 = 7,
            services: Int = 2,
            replicas: ClosedRange<Int> = 3...3,
            delay: Double = 0.3,
            workloads: [SimulatedWorkload] = [
                SimulatedWorkload(preStop: .sleep(seconds: 1), env: [SimulatedWorkload.demoSecret], exitSeconds: 0.5)
            ]
        ) -> SimulatedWorld.Configuration {
            SimulatedWorlds.pods(seed: seed, services: services, replicas: replicas, delay: delay, workloads: workloads)
        }

        /// The endpoint of the pod `pod` in the slices of the fake, if any.
        static func endpoint(_ fake: FakeKubernetesAPI, pod: String) -> FakeEndpoint? {
            fake.slices.lazy.compactMap { $0.endpoints?.first { $0.podName == pod } }.first
        }

        @Test func everyEndpointIsAPodOwnedByAReplicaSetOwnedByTheDeployment() async throws {
            let world = SimulatedWorldTests.makeWorld(Self.configuration(services: 3, replicas: 2...4))
            await world.start()
            let fake = world.kubernetes
            let endpoints = fake.slices.flatMap { $0.endpoints ?? [] }
            #expect(!endpoints.isEmpty)
            #expect(fake.pods.count == endpoints.count)
            for endpoint in endpoints {
                let name = try #require(endpoint.podName)
                let pod = try #require(fake.pod(namespace: "demo", name: name))
                #expect(endpoint.podUID == pod.uid)
                #expect(endpoint.addresses == [pod.podIP ?? ""])
                #expect(pod.nodeName == endpoint.nodeName)
                #expect(pod.ready && pod.phase == .running)
                #expect(pod.containers.first?.env.contains(SimulatedWorkload.demoSecret) == true)
                let owner = try #require(pod.owner)
                #expect(owner.kind == "ReplicaSet")
                let replicaSet = try #require(fake.replicaSets.first { $0.name == owner.name })
                #expect(replicaSet.uid == owner.uid)
                #expect(replicaSet.owner?.kind == "Deployment")
                #expect(replicaSet.owner.map { pod.name.hasPrefix($0.name + "-") } == true)
            }
            #expect(Set(fake.pods.map(\.uid)).count == fake.pods.count)
            for replicaSet in fake.replicaSets {
                #expect(replicaSet.replicas == fake.pods.count { $0.owner?.uid == replicaSet.uid })
            }
        }

        @Test func aRollCreatesANewReplicaSet() async throws {
            let world = SimulatedWorldTests.makeWorld(Self.configuration(services: 1))
            await world.start()
            #expect(world.kubernetes.replicaSets.count == 1)
            world.roll(service: "checkout")
            world.fastForward(by: 60)
            let sets = world.kubernetes.replicaSets
            #expect(sets.count == 2)
            #expect(sets.map(\.replicas).sorted() == [0, 3])
            let current = try #require(sets.first { $0.replicas == 3 })
            #expect(world.kubernetes.pods.allSatisfy { $0.owner?.name == current.name })
        }

        @Test func aDeletionShowsOnThePodFirstThenOnTheSliceThenThePodGoes() async throws {
            let world = SimulatedWorldTests.makeWorld(Self.configuration(services: 1))
            let fake = world.kubernetes
            await world.start()
            let before = Set(fake.pods.map(\.name))
            let requestTime = Date().timeIntervalSince1970
            world.scale(service: "checkout", to: 2)
            let deleting = fake.pods.filter(\.isTerminating)
            #expect(deleting.count == 1)
            let pod = try #require(deleting.first)
            #expect(pod.deletionGracePeriodSeconds == 30)
            let deletionTimestamp = try #require(pod.deletionTimestamp)
            let parsed = try Date(deletionTimestamp, strategy: .iso8601).timeIntervalSince1970
            #expect(abs(parsed - (requestTime.rounded(.down) + 30)) <= 1)
            #expect(parsed == parsed.rounded(.down))
            // The slice still shows the pod ready until the endpoint controller caught up.
            #expect(Self.endpoint(fake, pod: pod.name)?.ready == true)
            world.fastForward(by: 0.25)
            #expect(Self.endpoint(fake, pod: pod.name)?.ready == true)
            world.fastForward(by: 0.1)
            let terminating = try #require(Self.endpoint(fake, pod: pod.name))
            #expect(terminating.ready == false)
            #expect(terminating.serving == true)
            #expect(terminating.terminating == true)
            #expect(terminating.podUID == pod.uid)
            // preStop sleep 1 + 0.5 s exit: the pod goes at 1.5 s, its endpoint 0.3 s later.
            world.fastForward(by: 1.1)
            #expect(fake.pod(namespace: "demo", name: pod.name) != nil)
            world.fastForward(by: 0.1)
            #expect(fake.pod(namespace: "demo", name: pod.name) == nil)
            #expect(Self.endpoint(fake, pod: pod.name) != nil)
            world.fastForward(by: 0.3)
            #expect(Self.endpoint(fake, pod: pod.name) == nil)
            #expect(Set(fake.pods.map(\.name)) == before.subtracting([pod.name]))
            #expect(world.actions.contains { $0.kind == .podTerminating && $0.pod == pod.name && $0.time == 0 })
        }

        @Test func theWatchesSeeThePodUpdateTheSliceUpdateAndThePodDeletionInThatOrder() async throws {
            let world = SimulatedWorld(
                kubernetes: FakeKubernetesAPI(),
                apisix: FakeAPISIXAdmin(),
                configuration: Self.configuration(services: 1)
            )
            let fake = world.kubernetes
            try await fake.start()
            await world.start()
            try await withTestClient { client in
                let start = fake.resourceVersion
                let query = "?watch=true&resourceVersion=\(start)"
                var pods = LineReader(
                    try await openStream(client, fake.baseURL + "/api/v1/namespaces/demo/pods" + query)
                )
                var slices = LineReader(
                    try await openStream(client, fake.baseURL + "/apis/discovery.k8s.io/v1/endpointslices" + query)
                )
                try await fake.waitForOpenWatches(count: 2)
                world.scale(service: "checkout", to: 2)
                world.fastForward(by: 5)
                var events: [(rv: Int, text: String)] = []
                // Pods: MODIFIED (deletionTimestamp), DELETED; the replacement-free scale-down creates nothing.
                for _ in 0..<2 {
                    let event = try #require(try await pods.nextEvent())
                    let marked = event.metadata["deletionTimestamp"] != nil ? "deletion" : "plain"
                    events.append((Int(event.resourceVersion ?? "") ?? 0, "pod \(event.type) \(marked)"))
                }
                // Slices: the endpoint turns terminating, then goes.
                for _ in 0..<2 {
                    let event = try #require(try await slices.nextEvent())
                    let endpoints = event.object["endpoints"] as? [[String: Any]] ?? []
                    let terminating = endpoints.contains {
                        ($0["conditions"] as? [String: Any])?["terminating"] as? Bool == true
                    }
                    events.append(
                        (
                            Int(event.resourceVersion ?? "") ?? 0,
                            "slice \(event.type) \(terminating ? "terminating" : "gone")"
                        )
                    )
                }
                let ordered = events.sorted { $0.rv < $1.rv }.map(\.text)
                #expect(
                    ordered == [
                        "pod MODIFIED deletion", "slice MODIFIED terminating", "pod DELETED deletion",
                        "slice MODIFIED gone",
                    ]
                )
            }
            await fake.stop()
        }

        @Test func truthRecordsCarryTheDeletionMoment() async throws {
            let world = SimulatedWorldTests.makeWorld(Self.configuration(services: 1, delay: 0.15))
            try await SimulatedWorldTests.whileRunning(world) {
                let action = try #require(world.deletePod(service: "checkout"))
                #expect(action.kind == .podDeletion)
                try await world.controller.waitForTruth(count: 2, timeout: .seconds(10))
                let records = world.controller.truth
                let removal = try #require(records.first { $0.kind == .remove })
                let deletion = try #require(removal.podDeletion)
                #expect(deletion.pod == action.pod)
                #expect(removal.node == "\(action.address ?? ""):8080")
                let pod = world.kubernetes.pods.first { $0.name == action.pod }
                #expect(pod == nil || pod?.uid == deletion.uid)
                let stage = try #require(removal.kubernetesStageLag)
                // At least the injected endpoint controller delay; more only when the machine is busy.
                #expect(stage >= 0.14 && stage < 10, "\(stage)")
                let endToEnd = try #require(removal.endToEndLag)
                let lag = try #require(removal.lag)
                #expect(abs(endToEnd - (stage + lag)) < 0.001)
                #expect(lag >= 0.19 && lag < 10, "\(lag)")
                // The replacement's addition carries no deletion.
                #expect(records.filter { $0.kind == .add }.allSatisfy { $0.podDeletion == nil })
            }
        }

        @Test func aRollingUpdatesRemovalsCarryTheDeletionOfTheOldPods() async throws {
            var configuration = Self.configuration(services: 1, replicas: 2...2, delay: 0.05)
            configuration.startupDelay = 0.1...0.1
            let world = SimulatedWorldTests.makeWorld(configuration)
            try await SimulatedWorldTests.whileRunning(world) {
                let old = Set(world.kubernetes.pods.map(\.name))
                world.roll(service: "checkout")
                try await world.controller.waitForTruth(count: 4, timeout: .seconds(20))
                let truth = world.controller.truth
                let removals = truth.filter { $0.kind == .remove }
                #expect(removals.count == 2)
                for removal in removals {
                    let deletion = try #require(removal.podDeletion)
                    #expect(old.contains(deletion.pod))
                    #expect(removal.kubernetesTime >= deletion.time)
                    #expect(deletion.worldTime > 0)
                }
                #expect(Set(removals.compactMap(\.podDeletion?.pod)) == old)
                #expect(truth.filter { $0.kind == .add }.allSatisfy { $0.podDeletion == nil })
                let serviceLevel = TruthRecord.serviceLevel(truth).filter { $0.kind == .remove }
                #expect(serviceLevel.allSatisfy { $0.podDeletion != nil })
            }
        }

        @Test func podsCanBeSwitchedOffForTheOldBehaviour() async throws {
            var configuration = Self.configuration(services: 1)
            configuration.pods = false
            let world = SimulatedWorldTests.makeWorld(configuration)
            await world.start()
            #expect(world.kubernetes.pods.isEmpty)
            #expect(world.kubernetes.replicaSets.isEmpty)
            world.scale(service: "checkout", to: 2)
            let endpoints = world.kubernetes.slices.flatMap { $0.endpoints ?? [] }
            #expect(endpoints.count { $0.terminating == true } == 1)
            #expect(endpoints.allSatisfy { $0.podUID == nil })
        }

        @Test func theEndpointControllerDelayCanBeChangedAtRunTime() async throws {
            let world = SimulatedWorldTests.makeWorld(Self.configuration(services: 1, delay: 0.3))
            await world.start()
            world.endpointControllerDelay = 2...2
            #expect(world.endpointControllerDelay == 2...2)
            world.scale(service: "checkout", to: 2)
            let pod = try #require(world.kubernetes.pods.first { $0.isTerminating })
            world.fastForward(by: 1.9)
            #expect(Self.endpoint(world.kubernetes, pod: pod.name)?.ready == true)
            world.fastForward(by: 0.2)
            #expect(Self.endpoint(world.kubernetes, pod: pod.name)?.terminating == true)
        }

        @Test func workloadsShutDownAfterTheirPreStopCutAtTheGracePeriod() {
            #expect(SimulatedWorkload(preStop: .sleep(seconds: 5)).shutdownSeconds == 5.5)
            #expect(
                SimulatedWorkload(preStop: .sleep(seconds: 40), terminationGracePeriodSeconds: 30).shutdownSeconds == 30
            )
            #expect(SimulatedWorkload().shutdownSeconds == 0.5)
            #expect(SimulatedWorkload(preStop: .httpGet(path: "/", port: 80)).shutdownSeconds == 2.5)
            let variety = SimulatedWorkload.variety
            #expect(variety.contains { $0.preStop == .sleep(seconds: 40) && $0.terminationGracePeriodSeconds == 30 })
            #expect(variety.contains { $0.preStop == nil })
            #expect(variety.allSatisfy { $0.env.contains(SimulatedWorkload.demoSecret) })
        }

        /// The number of Services of the scale check: 10 000 (100 000 pods, as the scale benchmark) with
        /// `APISIX_SYNC_SCALE_TESTS=1`, else 200, so that the default run stays light on a shared machine.
        static let scaleServices =
            ProcessInfo.processInfo.environment["APISIX_SYNC_SCALE_TESTS"] == "1" ? 10_000 : 200

        @Test func theWorldHoldsAndListsTenPodsPerServiceAtScale() async throws {
            let services = Self.scaleServices
            let world = SimulatedWorld(
                kubernetes: FakeKubernetesAPI(),
                apisix: FakeAPISIXAdmin(),
                configuration: .init(seed: 3, services: services, replicas: 10...10, churn: false, actionLogLimit: 1000)
            )
            let fake = world.kubernetes
            let clock = ContinuousClock()
            let seeding = clock.now
            await world.start()
            let seeded = clock.now - seeding
            #expect(fake.podCount == services * 10)
            try await fake.start()
            // Pages cost O(page), not O(pods): the 10th page of 500 is as quick as the first.
            var pageTimes: [Duration] = []
            var items: [String] = []
            try await withTestClient { client in
                var token: String?
                for page in 0..<min(10, services / 50 - 1) {
                    var url = fake.baseURL + "/api/v1/pods?limit=500"
                    if let token {
                        url += "&continue=\(token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
                    }
                    let start = clock.now
                    let list = try await fetch(client, url).jsonObject()
                    pageTimes.append(clock.now - start)
                    let metadata = try #require(list["metadata"] as? [String: Any])
                    #expect(metadata["remainingItemCount"] as? Int == services * 10 - 500 * (page + 1))
                    items += ((list["items"] as? [[String: Any]]) ?? []).compactMap {
                        ($0["metadata"] as? [String: Any])?["name"] as? String
                    }
                    token = try #require(metadata["continue"] as? String)
                    // Deletions and replacements while paging do not disturb the snapshot.
                    if page == 0 { world.deletePod(service: "svc-9") }
                }
            }
            await fake.stop()
            #expect(items.count == 500 * pageTimes.count)
            #expect(items == items.sorted())
            #expect(seeded < .seconds(60), "seeding took \(seeded)")
            let slowest = pageTimes.max() ?? .zero
            #expect(slowest < .seconds(5), "\(pageTimes)")
            print("\(services * 10) pods: seeded in \(seeded), pages of 500 in \(pageTimes)")
        }
    }
}
