import Foundation
import SimulatedCluster
import TestSupport
import Testing

extension SimulatedClusterTests {
    /// The real kubectl against the fake Kubernetes API: discovery, server-side printing and watches. In CI
    /// (`CI=true`) a missing kubectl fails; elsewhere the tests are skipped. `KUBECTL` selects another binary.
    @Suite(.enabled(if: ExternalTool.isCI || KubectlProcess.installed != nil, "kubectl is not installed"))
    struct KubectlTests {
        /// Starts a fake with two slices and runs `body` with it and a kubectl set up for it.
        static func withKubectl(_ body: (FakeKubernetesAPI, KubectlProcess) async throws -> Void) async throws {
            let executable = try #require(
                KubectlProcess.installed,
                "kubectl is required in CI (Debian package kubernetes-client)"
            )
            let fake = FakeKubernetesAPI()
            try await fake.start()
            fake.apply(FakeKubernetesAPITests.slice("web-abcde", ips: ["10.0.0.1", "10.0.0.2"], namespace: "shop"))
            fake.apply(FakeKubernetesAPITests.slice("api-fghij", ips: ["10.0.1.1"], namespace: "demo", service: "api"))
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

        @Test func getListsTheSlices() async throws {
            try await Self.withKubectl { fake, kubectl in
                let names = try await kubectl.run(["get", "endpointslices", "-A", "-o", "name"])
                #expect(names.status == 0, "\(names.stderr)")
                #expect(
                    names.stdout.split(separator: "\n") == [
                        "endpointslice.discovery.k8s.io/api-fghij",
                        "endpointslice.discovery.k8s.io/web-abcde",
                    ]
                )

                let table = try await kubectl.run(["get", "endpointslices", "-A"])
                #expect(table.status == 0, "\(table.stderr)")
                let rows = table.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
                #expect(rows.first == ["NAMESPACE", "NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"])
                #expect(
                    rows.dropFirst().map { Array($0.prefix(5)) } == [
                        ["demo", "api-fghij", "IPv4", "8080", "10.0.1.1"],
                        ["shop", "web-abcde", "IPv4", "8080", "10.0.0.1,10.0.0.2"],
                    ]
                )
                #expect(table.stderr.isEmpty, "\(table.stderr)")
                #expect(fake.statistics.tableRequests >= 1)
                #expect(fake.statistics.discoveryRequests >= 3)
                #expect(fake.statistics.unauthorizedRequests == 0)

                let one = try await kubectl.run(["get", "endpointslice", "web-abcde", "-n", "shop", "-o", "json"])
                #expect(one.status == 0, "\(one.stderr)")
                #expect(one.stdout.contains(#""kubernetes.io/service-name": "web""#))
            }
        }

        @Test func watchShowsAChange() async throws {
            try await Self.withKubectl { fake, kubectl in
                let watch = try kubectl.start(["get", "endpointslices", "-A", "--watch", "--request-timeout=30s"])
                do {
                    try await Self.expectWatchShowsAChange(fake, watch)
                } catch {
                    await watch.stop()
                    throw error
                }
                await watch.stop()
            }
        }

        /// Reads the watch's lines until the initial rows are there, applies a change and reads until it shows.
        static func expectWatchShowsAChange(_ fake: FakeKubernetesAPI, _ watch: KubectlProcess.Streaming) async throws {
            var lines = watch.lines.makeAsyncIterator()
            var seen: [String] = []
            while seen.filter({ $0.contains("web-abcde") || $0.contains("api-fghij") }).count < 2 {
                let line = try #require(await lines.next(), "kubectl ended early: \(seen) \(watch.stderr)")
                seen.append(line)
            }
            #expect(seen.first?.hasPrefix("NAMESPACE") == true)
            try await fake.waitForOpenWatches(count: 1)
            fake.apply(FakeKubernetesAPITests.slice("web-abcde", ips: ["10.0.0.7"], namespace: "shop"))
            while true {
                let line = try #require(await lines.next(), "kubectl ended early: \(seen) \(watch.stderr)")
                seen.append(line)
                if line.contains("web-abcde"), line.contains("10.0.0.7") {
                    break
                }
            }
            #expect(fake.statistics.lastWatchRequest?.query["watch"] == "true")
            #expect(watch.stderr.isEmpty, "\(watch.stderr)")
        }
    }
}
