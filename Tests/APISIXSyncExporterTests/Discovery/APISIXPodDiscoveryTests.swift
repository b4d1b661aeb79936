import TestSupport
import Testing

@testable import APISIXSyncExporter

/// Which APISIX pods become targets, and how they are reached and named.
@Suite struct APISIXPodDiscoveryTests {
    typealias Endpoint = EndpointSlice.Endpoint

    static func slice(
        _ name: String,
        _ endpoints: [Endpoint],
        ports: [EndpointSlice.Port] = [.init(name: "admin", port: 9180), .init(name: "control", port: 9090)]
    ) -> EndpointSlice {
        EndpointSlice(
            metadata: .init(
                name: name,
                namespace: "apisix",
                labels: [EndpointSlice.serviceNameLabel: "apisix-admin", "app.kubernetes.io/name": "apisix"]
            ),
            addressType: "IPv4",
            endpoints: endpoints,
            ports: ports
        )
    }

    static func pod(
        _ name: String?,
        _ address: String,
        ready: Bool? = true,
        terminating: Bool? = nil
    ) -> Endpoint {
        Endpoint(
            addresses: [address],
            conditions: .init(ready: ready, serving: ready, terminating: terminating),
            targetRef: name.map { .init(name: $0, namespace: "apisix") }
        )
    }

    static let settings = APISIXPodDiscoverySettings(selector: "app.kubernetes.io/name=apisix", namespace: "apisix")

    @Test func readyPodsBecomeTargetsNamedAfterThePod() throws {
        let slices = [
            Self.slice(
                "apisix-admin-abcde",
                [
                    Self.pod("apisix-0", "10.0.0.1"),
                    Self.pod("apisix-1", "10.0.0.2", ready: nil),  // unknown readiness counts as ready
                    Self.pod("apisix-2", "10.0.0.3", ready: false),
                    Self.pod("apisix-3", "10.0.0.4", ready: true, terminating: true),
                    Self.pod(nil, "10.0.0.5"),
                ]
            )
        ]
        let targets = APISIXPodDiscovery.targets(from: slices, settings: Self.settings, view: nil)
        #expect(targets.keys.sorted() == ["10.0.0.5", "apisix-0", "apisix-1"])
        let first = try #require(targets["apisix-0"])
        #expect(first.adminURL == "http://10.0.0.1:9180")
        #expect(first.controlURL == nil)
        #expect(first.view == .admin)
        #expect(first.name == "apisix-0")
    }

    @Test func portsByNameSchemeAndControlPortAreResolvedPerSlice() throws {
        var settings = Self.settings
        settings.adminPort = .name("admin")
        settings.adminScheme = "https"
        settings.controlPort = .name("control")
        let slices = [
            Self.slice("a", [Self.pod("apisix-0", "10.0.0.1")]),
            Self.slice(
                "b",
                [Self.pod("apisix-1", "fd00::1")],
                ports: [.init(name: "admin", port: 19180), .init(name: "control", port: 19090)]
            ),
            // Without the named port a pod cannot be reached: left out.
            Self.slice("c", [Self.pod("apisix-2", "10.0.0.3")], ports: [.init(name: "http", port: 9080)]),
        ]
        let targets = APISIXPodDiscovery.targets(from: slices, settings: settings, view: nil)
        #expect(targets.keys.sorted() == ["apisix-0", "apisix-1"])
        #expect(targets["apisix-0"]?.adminURL == "https://10.0.0.1:9180")
        #expect(targets["apisix-0"]?.controlURL == "http://10.0.0.1:9090")
        #expect(targets["apisix-0"]?.view == .control)
        #expect(targets["apisix-1"]?.adminURL == "https://[fd00::1]:19180")
        #expect(targets["apisix-1"]?.controlURL == "http://[fd00::1]:19090")
        let admin = APISIXPodDiscovery.targets(from: slices, settings: settings, view: .admin)
        #expect(admin["apisix-0"]?.view == .admin)
    }

    @Test func aPodInTwoSlicesIsOneTarget() {
        let slices = [
            Self.slice("a", [Self.pod("apisix-0", "10.0.0.1")]),
            Self.slice("b", [Self.pod("apisix-0", "10.0.0.1")]),
        ]
        #expect(APISIXPodDiscovery.targets(from: slices, settings: Self.settings, view: nil).count == 1)
    }

    @Test func portReferencesParseAsNumberOrName() {
        #expect(APISIXPodDiscoverySettings.PortReference(parsing: "9180") == .number(9180))
        #expect(APISIXPodDiscoverySettings.PortReference(parsing: "apisix-admin") == .name("apisix-admin"))
        for bad in ["0", "70000", "", "-admin", "Admin", "admin_port"] {
            #expect(APISIXPodDiscoverySettings.PortReference(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test func urlsPairInOrderAndTheViewFollowsWhatATargetHas() throws {
        var settings = ExporterSettings()
        settings.apisix.adminURLs = ["http://a:9180", "http://b:9180"]
        settings.apisix.controlURLs = ["http://a:9090", "http://b:9090"]
        let paired = try #require(settings.apisix.staticTargets)
        #expect(paired.map(\.name) == ["a:9180", "b:9180"])
        #expect(paired.map(\.controlURL) == ["http://a:9090", "http://b:9090"])
        #expect(paired.allSatisfy { $0.view == .control })
        settings.apisix.view = .admin
        #expect(settings.apisix.staticTargets?.allSatisfy { $0.view == .admin } == true)
        settings.apisix.controlURLs = ["http://a:9090"]
        #expect(settings.apisix.staticTargets == nil)
        settings.apisix.adminURLs = []
        settings.apisix.view = nil
        #expect(settings.apisix.staticTargets?.map(\.name) == ["a:9090"])
        #expect(APISIXTarget(adminURL: nil, controlURL: "http://a:9090", view: .admin) == nil)
        #expect(APISIXTarget(adminURL: "http://a:9180", controlURL: nil, view: .control) == nil)
        #expect(APISIXTarget(adminURL: nil, controlURL: nil) == nil)
    }
}
