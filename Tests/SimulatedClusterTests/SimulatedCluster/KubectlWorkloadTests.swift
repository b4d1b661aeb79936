import Foundation
import SimulatedCluster
import TestSupport
import Testing

extension SimulatedClusterTests {
    /// The real kubectl listing the fake's pods and ReplicaSets (skipped without kubectl outside CI). Serialized: a
    /// kubectl run costs about a CPU second, which the timing tests running alongside would feel.
    @Suite(.enabled(if: ExternalTool.isCI || KubectlProcess.installed != nil, "kubectl is not installed"), .serialized)
    struct KubectlWorkloadTests {
        /// Starts a fake with two pods (one terminating) and a ReplicaSet, and runs `body` with a kubectl for it.
        static func withKubectl(_ body: (FakeKubernetesAPI, KubectlProcess) async throws -> Void) async throws {
            let executable = try #require(
                KubectlProcess.installed,
                "kubectl is required in CI (Debian package kubernetes-client)"
            )
            let fake = FakeKubernetesAPI()
            try await fake.start()
            fake.apply(FakeKubernetesAPIWorkloadTests.pod("web-7d9f8-abcde", ip: "10.0.0.1"))
            var terminating = FakeKubernetesAPIWorkloadTests.pod("web-7d9f8-fghij", ip: "10.0.0.2")
            terminating.deletionTimestamp = "2026-01-02T03:04:35Z"
            terminating.deletionGracePeriodSeconds = 30
            fake.apply(terminating)
            fake.apply(FakeKubernetesAPIWorkloadTests.replicaSet())
            let kubectl = try KubectlProcess(executable: executable, server: fake.baseURL)
            do {
                try await body(fake, kubectl)
            } catch {
                kubectl.remove()
                await fake.stop()
                throw error
            }
            kubectl.remove()
            await fake.stop()
        }

        @Test func getPodsShowsReadinessStatusAndTheTerminatingPod() async throws {
            try await Self.withKubectl { _, kubectl in
                let table = try await kubectl.run(["get", "pods", "-A", "-o", "wide"])
                #expect(table.status == 0, "\(table.stderr)")
                let rows = table.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
                #expect(
                    rows.first.map { Array($0.prefix(6)) } == [
                        "NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE",
                    ]
                )
                #expect(
                    rows.dropFirst().map { Array($0.prefix(5)) } == [
                        ["shop", "web-7d9f8-abcde", "1/1", "Running", "0"],
                        ["shop", "web-7d9f8-fghij", "1/1", "Terminating", "0"],
                    ]
                )
                #expect(rows.dropFirst().map { $0.contains("10.0.0.1") || $0.contains("10.0.0.2") } == [true, true])
                #expect(rows.dropFirst().allSatisfy { $0.contains("node-a") })
                #expect(table.stderr.isEmpty, "\(table.stderr)")

                let one = try await kubectl.run(["get", "po", "web-7d9f8-fghij", "-n", "shop", "-o", "json"])
                #expect(one.status == 0, "\(one.stderr)")
                #expect(one.stdout.contains(#""deletionTimestamp": "2026-01-02T03:04:35Z""#))
                #expect(one.stdout.contains(#""kind": "ReplicaSet""#))
            }
        }

        @Test func getReplicaSetsShowsTheCounts() async throws {
            try await Self.withKubectl { _, kubectl in
                let table = try await kubectl.run(["get", "rs", "-A"])
                #expect(table.status == 0, "\(table.stderr)")
                let rows = table.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
                #expect(rows.first == ["NAMESPACE", "NAME", "DESIRED", "CURRENT", "READY", "AGE"])
                #expect(rows.dropFirst().map { Array($0.prefix(5)) } == [["shop", "web-7d9f8", "3", "3", "2"]])
            }
        }

        @Test func watchPodsShowsADeletion() async throws {
            try await Self.withKubectl { fake, kubectl in
                let watch = try kubectl.start(["get", "pods", "-n", "shop", "--watch", "--request-timeout=30s"])
                do {
                    var lines = watch.lines.makeAsyncIterator()
                    var seen: [String] = []
                    while seen.count { $0.contains("web-7d9f8-") } < 2 {
                        seen.append(try #require(await lines.next(), "kubectl ended early: \(seen) \(watch.stderr)"))
                    }
                    try await fake.waitForOpenWatches(count: 1)
                    var pod = FakeKubernetesAPIWorkloadTests.pod("web-7d9f8-abcde", ip: "10.0.0.1")
                    pod.deletionTimestamp = "2026-01-02T03:04:35Z"
                    fake.apply(pod)
                    while true {
                        let line = try #require(await lines.next(), "kubectl ended early: \(seen) \(watch.stderr)")
                        seen.append(line)
                        if line.contains("web-7d9f8-abcde"), line.contains("Terminating") { break }
                    }
                } catch {
                    await watch.stop()
                    throw error
                }
                await watch.stop()
            }
        }
    }
}
