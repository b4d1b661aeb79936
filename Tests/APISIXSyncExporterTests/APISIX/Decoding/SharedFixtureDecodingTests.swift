import Foundation
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// Where the shared APISIX response examples live: `../shared/fixtures/apisix` next to the repository.
enum SharedAPISIXFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/fixtures/apisix").standardizedFileURL

    static var available: Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory)
            && isDirectory.boolValue
    }
}

/// The real response examples in `../shared/fixtures/apisix`, each through the decoder for its API. Skipped when that
/// directory is absent, except in CI, where it must be there.
@Suite(.enabled(if: SharedAPISIXFixtures.available || ExternalTool.isCI, "../shared/fixtures/apisix is absent"))
struct SharedFixtureDecodingTests {
    func files() throws -> [String: Data] {
        try #require(SharedAPISIXFixtures.available, "\(SharedAPISIXFixtures.directory.path) is required in CI")
        let names = try FileManager.default.contentsOfDirectory(atPath: SharedAPISIXFixtures.directory.path)
        var files: [String: Data] = [:]
        for name in names where name.hasSuffix(".json") || name.hasSuffix(".txt") {
            files[name] = try Data(contentsOf: SharedAPISIXFixtures.directory.appendingPathComponent(name))
        }
        return files
    }

    @Test func everyRelevantFixtureDecodes() throws {
        var decoded: [String] = []
        for (name, data) in try files().sorted(by: { $0.key < $1.key }) {
            do {
                switch name {
                case let name where name.hasPrefix("admin-error-"):
                    let error = #expect(throws: APISIXDecodingError.self, "\(name)") {
                        try AdminAPIDecoder.decodeUpstreamList(data)
                    }
                    #expect(error?.reason.contains("expected an Admin API list") == true, "\(name)")
                case let name where name.contains("-upstream-list"):
                    let listing = try AdminAPIDecoder.decodeUpstreamListing(data)
                    #expect(listing.envelope == (name.hasPrefix("admin-v2-") ? .v2 : .v3), "\(name)")
                case let name where name.hasPrefix("admin-v2-upstream-") || name.hasPrefix("admin-v3-upstream-"):
                    _ = try AdminAPIDecoder.decodeUpstream(data)
                case let name where name.hasPrefix("admin-v2-route-") || name.hasPrefix("admin-v3-route-"):
                    _ = try AdminAPIDecoder.decodeRoute(data)
                case let name where name.hasPrefix("admin-v3-service-"):
                    _ = try AdminAPIDecoder.decodeService(data)
                case let name where name.hasPrefix("control-api-v1-upstreams.") && !name.contains("nodes-only"):
                    _ = try ControlAPIDecoder.decodeUpstreams(data)
                case let name where name.hasPrefix("control-api-v1-upstream-"):
                    _ = try ControlAPIDecoder.decodeUpstream(data)
                case let name where name.hasPrefix("discovery-kubernetes-dump"):
                    let dump = try KubernetesDiscoveryDumpDecoder.decode(data)
                    #expect(!String(reflecting: dump).contains("token"), "\(name)")
                case let name where name.hasPrefix("standalone-configs-"):
                    _ = try StandaloneConfigDecoder.decode(data)
                default: continue
                }
                decoded.append(name)
            } catch {
                Issue.record("\(name): \(error)")
            }
        }
        #expect(decoded.count >= 25, "\(decoded)")
    }

    @Test func contentsOfKeyFixtures() throws {
        let files = try files()
        func data(_ name: String) throws -> Data { try #require(files[name], "\(name) is missing") }

        let v2 = try AdminAPIDecoder.decodeUpstreamList(data("admin-v2-upstream-list.reconstructed.json"))
        #expect(v2.map(\.id) == ["1", "2"])
        #expect(v2[1].nodes == nodes("10.244.3.5", port: 9000))
        #expect(v2[1].modifiedIndex == 2_685_163)

        let inline = try AdminAPIDecoder.decodeRoute(data("admin-v2-route-inline-upstream.2.15-test-normalized.json"))
        #expect(inline.upstream?.nodes == nodes("127.0.0.1"))

        let split = try AdminAPIDecoder.decodeService(data("admin-v3-service-ic2-adc-split.reconstructed.json"))
        #expect(split.upstreamID == "3f62e9ff")
        #expect(UpstreamMapper.ingressController2xName(split.name ?? "") != nil)

        let legacy = try AdminAPIDecoder.decodeService(
            data("admin-v3-service-ic2-adc-inline-legacy.partial-from-issue-2699.json")
        )
        #expect(legacy.id == "3f62e9ff")
        #expect(legacy.upstream?.nodes == nodes("10.138.131.252", port: 8099))

        let discovery = try AdminAPIDecoder.decodeUpstream(
            data("admin-v3-upstream-discovery-kubernetes.reconstructed.json")
        )
        #expect(
            discovery.discovery?.kubernetesServiceName?.servicePortKey
                == ServicePortKey(namespace: "default", service: "httpbin", port: "http")
        )

        let control = try ControlAPIDecoder.decodeUpstreams(
            data("control-api-v1-upstreams.standalone-3.14plus.reconstructed.json")
        )
        #expect(control.map(\.id) == ["3f9a5e49"])
        #expect(control[0].modifiedIndex == 1_757_381_144_237)

        let dump = try KubernetesDiscoveryDumpDecoder.decode(
            data("discovery-kubernetes-dump.single-mode.reconstructed.json")
        )
        let httpbin = try #require(APISIXKubernetesServiceName(parsing: "default/httpbin:http"))
        #expect(dump.nodes(for: httpbin) == nodes("10.244.1.17", "10.244.2.23"))
        let multi = try KubernetesDiscoveryDumpDecoder.decode(data("discovery-kubernetes-dump.doc.json"))
        let etcd = try #require(APISIXKubernetesServiceName(parsing: "first/kube-system/etcd:metrics"))
        #expect(multi.nodes(for: etcd)?.count == 3)

        let config = try StandaloneConfigDecoder.decode(data("standalone-configs-get-ic2-adc.reconstructed.json"))
        #expect(config.digest == "5f1c0d6e2a6a0d7c9b1f3e2d4c5b6a7980f1e2d3")
        let resolution = APISIXRoutingResolver.resolve(
            upstreams: config.upstreams,
            routes: config.routes,
            services: config.services
        )
        #expect(resolution.inUse.map(\.identity) == ["upstream/3f9a5e49"])
        #expect(
            resolution.inUse[0].reason == "upstream object used by route ea42cf99 (upstream_id of service 3f9a5e49)"
        )
        #expect(resolution.inUse[0].nodes == nodes("10.244.1.17", "10.244.2.23"))
    }
}
