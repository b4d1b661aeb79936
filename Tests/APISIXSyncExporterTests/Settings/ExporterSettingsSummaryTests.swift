import Testing

@testable import APISIXSyncExporter

/// The settings as logged at start-up and served by `/api/v1/state`: every setting, never a secret.
@Suite struct ExporterSettingsSummaryTests {
    static let adminKey = "edd1c9f034335f136f87ad84b625c8f1"

    @Test func theAdminKeyAndTheEtcdPasswordAreNeverShown() {
        var settings = ExporterSettings()
        settings.apisix.adminURLs = ["http://apisix-admin:9180"]
        settings.apisix.client.adminKey = Self.adminKey
        var etcd = EtcdSettings(endpoints: ["http://etcd:2379"])
        etcd.username = "root"
        etcd.password = "s3cret-etcd"
        settings.apisix.etcd = etcd
        let summary = settings.redactedSummary
        #expect(summary["apisix.admin-key"] == "(set)")
        for text in [
            summary.description, settings.description, String(describing: settings), String(reflecting: settings),
        ] {
            #expect(!text.contains(Self.adminKey))
            #expect(!text.contains("s3cret-etcd"))
        }
        #expect(Mirror(reflecting: settings).children.allSatisfy { "\($0.value)" != Self.adminKey })
    }

    @Test func withoutAKeyTheSummarySaysNone() {
        let settings = ExporterSettings()
        #expect(settings.redactedSummary["apisix.admin-key"] == "(none)")
        #expect(settings.redactedSummary["apisix.etcd"] == "(off)")
        #expect(settings.redactedSummary["kubernetes.namespace"] == "(all)")
        #expect(settings.redactedSummary["apisix.discover-pods"] == "(off)")
    }

    @Test func durationsAreWrittenAsFlagsTakeThem() {
        var settings = ExporterSettings()
        settings.polling.fastPollInterval = 0.25
        settings.measurement.changeTimeout = 600
        #expect(settings.redactedSummary["apisix.fast-poll-interval"] == "250ms")
        #expect(settings.redactedSummary["change-timeout"] == "10m0s")
    }

    @Test func podDiscoveryPortsParseAsNumbersOrPortNames() {
        typealias Port = APISIXPodDiscoverySettings.PortReference
        #expect(Port(parsing: "9180") == .number(9180))
        #expect(Port(parsing: "apisix-admin") == .name("apisix-admin"))
        for invalid in ["0", "65536", "", "-admin", "admin-", "Admin", "adm_in", String(repeating: "a", count: 64)] {
            #expect(Port(parsing: invalid) == nil, "\(invalid)")
        }
        var discovery = APISIXPodDiscoverySettings(selector: "app=apisix", namespace: "ingress")
        discovery.adminPort = .name("apisix-admin")
        discovery.controlPort = .number(9090)
        var settings = ExporterSettings()
        settings.apisix.podDiscovery = discovery
        #expect(
            settings.redactedSummary["apisix.discover-pods"]
                == "ingress/app=apisix admin http:apisix-admin control 9090"
        )
    }
}
