import Foundation
import Testing

@testable import APISIXSyncExporter

/// The flag rules in the library, without spawning the binary: every bad value names its flag in one line.
@Suite struct ExporterFlagsTests {
    /// Flags with one admin URL (the minimum `serve` needs), changed by `change`.
    static func flags(_ change: (inout ExporterFlags) -> Void = { _ in }) -> ExporterFlags {
        var flags = ExporterFlags()
        flags.apisix.adminURLs = ["http://a:9180"]
        change(&flags)
        return flags
    }

    /// The flag the first error names, or nil when the flags resolve.
    static func failingFlag(_ flags: ExporterFlags, environment: [String: String] = [:]) -> String? {
        do {
            _ = try flags.resolve(environment: environment, readFiles: true)
            return nil
        } catch {
            #expect(error.message == "invalid \(error.flag): \(error.problem)")
            #expect(!error.message.contains("\n"))
            return error.flag
        }
    }

    @Test func theDefaultFlagsResolveToTheDefaultSettings() throws {
        let settings = try Self.flags().resolve(environment: [:])
        #expect(settings == ExporterSettings(apisix: APISIXSettings(adminURLs: ["http://a:9180"])))
        #expect(settings.polling.pollInterval == SettingDefaults.pollInterval)
        #expect(settings.measurement.changeTimeout == SettingDefaults.changeTimeout)
        #expect(settings.measurement.recommendationWindow == SettingDefaults.recommendationWindow)
        #expect(settings.measurement.recommendation.configuredDelay == SettingDefaults.prestopDelay)
    }

    @Test func defaultDurationsReadAsTheyAlwaysHave() {
        #expect(PollingFlags().pollInterval == "5s")
        #expect(PollingFlags().fastPollInterval == "100ms")
        #expect(MeasurementFlags().prestopDelay == "5s")
        #expect(MeasurementFlags().changeTimeout == "10m")
        #expect(MeasurementFlags().window == "24h")
        #expect(MeasurementFlags().margin == "1s")
        #expect(MeasurementFlags().shutdownBudget == "25s")
        #expect(MeasurementFlags().quantile == "0.99")
        #expect(WebFlags().listenAddress == ":10299")
        #expect(FlagValue.durationText(90) == "1m30s")
        #expect(FlagValue.durationText(3_600 + 1) == "1h0m1s")
    }

    @Test func theSummaryOfTheDefaultsIsUnchanged() throws {
        let settings = try Self.flags().resolve(environment: [:])
        #expect(
            settings.redactedSummary == [
                "web.listen-address": ":10299", "web.telemetry-path": "/metrics", "web.config.file": "(none)",
                "web.max-requests": "40", "kubernetes.namespace": "(all)", "kubernetes.watch-pods": "true",
                "apisix.admin-url": "http://a:9180", "apisix.control-url": "",
                "apisix.view": "(control when available)", "apisix.discover-pods": "(off)", "apisix.etcd": "(off)",
                "apisix.admin-key": "(none)", "apisix.poll-interval": "5s", "apisix.fast-poll-interval": "100ms",
                "map": "", "prestop-delay": "5s", "change-timeout": "10m0s", "recommendation.quantile": "0.99",
                "recommendation.margin": "1s", "recommendation.min-samples": "20",
                "recommendation.window": "24h0m0s", "recommendation.shutdown-budget": "25s",
                "metrics.service-labels": "true",
            ]
        )
    }

    @Test(arguments: [
        (ExporterFlagsTests.flags { $0.polling.pollInterval = "5x" }, "--apisix.poll-interval"),
        (ExporterFlagsTests.flags { $0.polling.pollInterval = "50ms" }, "--apisix.poll-interval"),
        (ExporterFlagsTests.flags { $0.polling.fastPollInterval = "fast" }, "--apisix.fast-poll-interval"),
        (ExporterFlagsTests.flags { $0.measurement.changeTimeout = "-1s" }, "--change-timeout"),
        (ExporterFlagsTests.flags { $0.measurement.quantile = "1.5" }, "--recommendation.quantile"),
        (ExporterFlagsTests.flags { $0.measurement.quantile = "0" }, "--recommendation.quantile"),
        (ExporterFlagsTests.flags { $0.measurement.minSamples = "0" }, "--recommendation.min-samples"),
        (ExporterFlagsTests.flags { $0.measurement.window = "1h1x" }, "--recommendation.window"),
        (ExporterFlagsTests.flags { $0.measurement.window = "59s" }, "--recommendation.window"),
        (ExporterFlagsTests.flags { $0.measurement.margin = "soon" }, "--recommendation.margin"),
        (ExporterFlagsTests.flags { $0.measurement.shutdownBudget = "-5s" }, "--recommendation.shutdown-budget"),
        (ExporterFlagsTests.flags { $0.measurement.prestopDelay = "five" }, "--prestop-delay"),
        (ExporterFlagsTests.flags { $0.measurement.serviceLabels = "maybe" }, "--metrics.service-labels"),
        (ExporterFlagsTests.flags { $0.web.listenAddress = "nonsense" }, "--web.listen-address"),
        (ExporterFlagsTests.flags { $0.web.listenAddress = ":65536" }, "--web.listen-address"),
        (ExporterFlagsTests.flags { $0.web.telemetryPath = "metrics" }, "--web.telemetry-path"),
        (ExporterFlagsTests.flags { $0.web.telemetryPath = "/-/ready" }, "--web.telemetry-path"),
        (ExporterFlagsTests.flags { $0.web.maxRequests = "-1" }, "--web.max-requests"),
        (ExporterFlagsTests.flags { $0.web.configFile = "/nonexistent/web.yml" }, "--web.config.file"),
        (ExporterFlagsTests.flags { $0.logging.level = "loud" }, "--log.level"),
        (ExporterFlagsTests.flags { $0.logging.format = "xml" }, "--log.format"),
        (ExporterFlagsTests.flags { $0.kubernetes.namespaces = ["Bad_NS"] }, "--kubernetes.namespace"),
        (ExporterFlagsTests.flags { $0.kubernetes.watchPods = "maybe" }, "--kubernetes.watch-pods"),
        (ExporterFlagsTests.flags { $0.kubernetes.kubeconfig = "" }, "--kubeconfig"),
        (ExporterFlagsTests.flags { $0.apisix.maps = ["web=1"] }, "--map"),
        (ExporterFlagsTests.flags { $0.apisix.adminURLs = ["ftp://a"] }, "--apisix.admin-url"),
        (ExporterFlagsTests.flags { $0.apisix.adminURLs = [] }, "--apisix.admin-url"),
        (ExporterFlagsTests.flags { $0.apisix.adminKeyFile = "/nonexistent/key" }, "--apisix.admin-key-file"),
        (ExporterFlagsTests.flags { $0.apisix.controlURLs = ["ftp://x"] }, "--apisix.control-url"),
        (
            ExporterFlagsTests.flags { $0.apisix.controlURLs = ["http://a:9090", "http://b:9090"] },
            "--apisix.control-url"
        ),
        (ExporterFlagsTests.flags { $0.apisix.view = "workers" }, "--apisix.view"),
        (ExporterFlagsTests.flags { $0.apisix.view = "control" }, "--apisix.view"),
        (
            ExporterFlagsTests.flags {
                $0.apisix.adminURLs = []
                $0.apisix.controlURLs = ["http://a:9090"]
                $0.apisix.view = "admin"
            }, "--apisix.view"
        ),
        (ExporterFlagsTests.flags { $0.apisix.namespace = "apisix" }, "--apisix.namespace"),
        (ExporterFlagsTests.flags { $0.apisix.discoverPods = "app=apisix" }, "--apisix.namespace"),
        (
            ExporterFlagsTests.flags {
                $0.apisix.discoverPods = "app=apisix"
                $0.apisix.namespace = "Not_A_Label"
            }, "--apisix.namespace"
        ),
        (
            ExporterFlagsTests.flags {
                $0.apisix.discoverPods = "app={apisix}"
                $0.apisix.namespace = "apisix"
            }, "--apisix.discover-pods"
        ),
        (
            ExporterFlagsTests.flags {
                $0.apisix.discoverPods = "app=apisix"
                $0.apisix.namespace = "apisix"
                $0.apisix.adminPort = "99999"
            }, "--apisix.admin-port"
        ),
        (
            ExporterFlagsTests.flags {
                $0.apisix.discoverPods = "app=apisix"
                $0.apisix.namespace = "apisix"
                $0.apisix.adminScheme = "ftp"
            }, "--apisix.admin-scheme"
        ),
        (
            ExporterFlagsTests.flags {
                $0.apisix.adminURLs = []
                $0.apisix.discoverPods = "app=apisix"
                $0.apisix.namespace = "apisix"
                $0.apisix.view = "control"
            }, "--apisix.view"
        ),
        (ExporterFlagsTests.flags { $0.apisix.etcdEndpoints = ["etcd:2379"] }, "--apisix.etcd-endpoint"),
        (ExporterFlagsTests.flags { $0.apisix.etcdEndpoints = ["http://etcd:2379/v3"] }, "--apisix.etcd-endpoint"),
        (ExporterFlagsTests.flags { $0.apisix.etcdPrefix = "/apisix" }, "--apisix.etcd-prefix"),
        (
            ExporterFlagsTests.flags {
                $0.apisix.etcdEndpoints = ["http://etcd:2379"]
                $0.apisix.etcdPrefix = "apisix"
            }, "--apisix.etcd-prefix"
        ),
        (
            ExporterFlagsTests.flags {
                $0.apisix.etcdEndpoints = ["http://etcd:2379"]
                $0.apisix.etcdUsername = "u"
            }, "--apisix.etcd-password-file"
        ),
        (
            ExporterFlagsTests.flags {
                $0.apisix.etcdEndpoints = ["http://etcd:2379"]
                $0.apisix.etcdPasswordFile = "/nonexistent/pw"
            }, "--apisix.etcd-username"
        ),
        (
            ExporterFlagsTests.flags {
                $0.apisix.etcdEndpoints = ["http://etcd:2379"]
                $0.apisix.etcdUsername = "u"
                $0.apisix.etcdPasswordFile = "/nonexistent/pw"
            }, "--apisix.etcd-password-file"
        ),
        (
            ExporterFlagsTests.flags {
                $0.apisix.etcdEndpoints = ["http://etcd:2379"]
                $0.apisix.etcdCAFile = "/x/ca.pem"
            }, "--apisix.etcd-ca-file"
        ),
        (
            ExporterFlagsTests.flags {
                $0.apisix.etcdEndpoints = ["https://etcd:2379"]
                $0.apisix.etcdCertFile = "/x/c.pem"
            }, "--apisix.etcd-key-file"  // the missing one of the pair
        ),
        (
            ExporterFlagsTests.flags {
                $0.apisix.etcdEndpoints = ["http://etcd:2379"]
                $0.apisix.etcdCertFile = "/x/c.pem"
                $0.apisix.etcdKeyFile = "/x/k.pem"
            }, "--apisix.etcd-cert-file"
        ),
        (
            ExporterFlagsTests.flags {
                $0.apisix.etcdEndpoints = ["https://etcd:2379"]
                $0.apisix.etcdCAFile = "/nonexistent/ca.pem"
            }, "--apisix.etcd-ca-file"
        ),
        (ExporterFlagsTests.flags { $0.apisix.etcdTLSServerName = "etcd.test" }, "--apisix.etcd-tls-server-name"),
        (
            ExporterFlagsTests.flags {
                $0.apisix.etcdEndpoints = ["http://etcd:2379"]
                $0.apisix.etcdTLSServerName = "etcd.test"
            }, "--apisix.etcd-tls-server-name"  // http members only
        ),
        (
            ExporterFlagsTests.flags {
                $0.apisix.etcdEndpoints = ["https://10.0.0.5:2379"]
                $0.apisix.etcdTLSServerName = "10.0.0.7"
            }, "--apisix.etcd-tls-server-name"
        ),
        (
            ExporterFlagsTests.flags {
                $0.apisix.etcdEndpoints = ["https://10.0.0.5:2379"]
                $0.apisix.etcdTLSServerName = "::1"
            }, "--apisix.etcd-tls-server-name"
        ),
        (
            ExporterFlagsTests.flags {
                $0.apisix.etcdEndpoints = ["https://10.0.0.5:2379"]
                $0.apisix.etcdTLSServerName = "[::1]"
            }, "--apisix.etcd-tls-server-name"
        ),
        (
            ExporterFlagsTests.flags {
                $0.apisix.etcdEndpoints = ["https://10.0.0.5:2379"]
                $0.apisix.etcdTLSServerName = ""
            }, "--apisix.etcd-tls-server-name"
        ),
        (
            ExporterFlagsTests.flags {
                $0.apisix.etcdEndpoints = ["https://10.0.0.5:2379"]
                $0.apisix.etcdTLSServerName = "etcd_test"
            }, "--apisix.etcd-tls-server-name"
        ),
        (
            ExporterFlagsTests.flags {
                $0.apisix.etcdEndpoints = ["https://10.0.0.5:2379"]
                $0.apisix.etcdTLSServerName = "-etcd.test"
            }, "--apisix.etcd-tls-server-name"
        ),
        (
            ExporterFlagsTests.flags {
                $0.apisix.etcdEndpoints = ["https://10.0.0.5:2379"]
                $0.apisix.etcdTLSServerName = "etcd-.test"
            }, "--apisix.etcd-tls-server-name"
        ),
        (
            ExporterFlagsTests.flags {
                $0.apisix.etcdEndpoints = ["https://10.0.0.5:2379"]
                $0.apisix.etcdTLSServerName = "etcd..test"
            }, "--apisix.etcd-tls-server-name"
        ),
        (
            ExporterFlagsTests.flags {
                $0.apisix.etcdEndpoints = ["https://10.0.0.5:2379"]
                $0.apisix.etcdTLSServerName = "etcd.test."
            }, "--apisix.etcd-tls-server-name"
        ),
        (
            ExporterFlagsTests.flags {
                $0.apisix.etcdEndpoints = ["https://10.0.0.5:2379"]
                $0.apisix.etcdTLSServerName = "*.etcd.test"
            }, "--apisix.etcd-tls-server-name"
        ),
        (
            ExporterFlagsTests.flags {
                $0.apisix.etcdEndpoints = ["https://10.0.0.5:2379"]
                $0.apisix.etcdTLSServerName = "https://etcd.test"
            }, "--apisix.etcd-tls-server-name"
        ),
        (
            ExporterFlagsTests.flags {
                $0.apisix.etcdEndpoints = ["https://10.0.0.5:2379"]
                $0.apisix.etcdTLSServerName = "etcd.test:2379"
            }, "--apisix.etcd-tls-server-name"
        ),
        (
            ExporterFlagsTests.flags {
                $0.apisix.etcdEndpoints = ["https://10.0.0.5:2379"]
                $0.apisix.etcdTLSServerName = "etcd test"
            }, "--apisix.etcd-tls-server-name"
        ),
        (
            ExporterFlagsTests.flags {
                $0.apisix.etcdEndpoints = ["https://10.0.0.5:2379"]
                $0.apisix.etcdTLSServerName = "ètcd.test"
            }, "--apisix.etcd-tls-server-name"
        ),
        (
            ExporterFlagsTests.flags {
                $0.apisix.etcdEndpoints = ["https://10.0.0.5:2379"]
                $0.apisix.etcdTLSServerName = String(repeating: "a", count: 64) + ".test"
            }, "--apisix.etcd-tls-server-name"
        ),
    ])
    func aBadValueNamesItsFlag(flags: ExporterFlags, flag: String) {
        #expect(Self.failingFlag(flags) == flag)
    }

    @Test func theListenAddressSplitsIntoHostAndPort() throws {
        let ipv6 = try Self.flags { $0.web.listenAddress = "[::1]:9000" }.resolve(environment: [:])
        #expect(ipv6.web.listenHost == "::1")
        #expect(ipv6.web.listenPort == 9000)
        let any = try Self.flags { $0.web.listenAddress = ":0" }.resolve(environment: [:])
        #expect(any.web.listenHost.isEmpty)
        #expect(any.web.listenPort == 0)
        // Empty means none, as with exporter-toolkit.
        #expect(try Self.flags { $0.web.configFile = "" }.resolve(environment: [:]).web.configFile == nil)
    }

    @Test func namespacesAreDNSLabelsKeptOnceInOrder() throws {
        let settings = try Self.flags { $0.kubernetes.namespaces = ["shop", "apps", "shop"] }.resolve(environment: [:])
        #expect(settings.kubernetes.namespaces == ["apps", "shop"])
        for good in ["a", "ingress-apisix", "ns1", String(repeating: "a", count: 63)] {
            #expect(FlagValue.isDNSLabel(good), "\(good)")
        }
        for bad in ["", "-a", "a-", "A", "a_b", "a.b", String(repeating: "a", count: 64)] {
            #expect(!FlagValue.isDNSLabel(bad), "\(bad)")
        }
    }

    @Test func theTLSServerNameIsALowerCasedDNSNameShownInTheSummary() throws {
        let settings = try Self.flags {
            $0.apisix.etcdEndpoints = ["https://10.0.0.5:2379", "https://10.0.0.6:2379"]
            $0.apisix.etcdTLSServerName = "Etcd.APISIX.svc"
        }.resolve(environment: [:], readFiles: false)
        #expect(settings.apisix.etcd?.tlsServerName == "etcd.apisix.svc")
        #expect(settings.redactedSummary["apisix.etcd"]?.contains("server-name etcd.apisix.svc") == true)
        // Mixed members: it applies to the https ones.
        let mixed = try Self.flags {
            $0.apisix.etcdEndpoints = ["http://etcd-0:2379", "https://10.0.0.6:2379"]
            $0.apisix.etcdTLSServerName = "etcd"
        }.resolve(environment: [:], readFiles: false)
        #expect(mixed.apisix.etcd?.tlsServerName == "etcd")
        for good in ["etcd", "apisix-etcd.apisix.svc.cluster.local", "0etcd.test", String(repeating: "a", count: 63)] {
            #expect(FlagValue.isDNSName(good), "\(good)")
        }
        for bad in ["", ".", "a..b", "a.", "-a", "a-", "a_b", "a b", "*.a", String(repeating: "a", count: 64)] {
            #expect(!FlagValue.isDNSName(bad), "\(bad)")
        }
        #expect(!FlagValue.isDNSName(Array(repeating: "abc", count: 64).joined(separator: ".")))  // 255 characters
        for address in ["10.0.0.7", "::1", "[fd00::1]"] { #expect(FlagValue.isIPAddress(address), "\(address)") }
        for name in ["etcd.test", "10.0.0", "etcd.test:2379", "[etcd]"] {
            #expect(!FlagValue.isIPAddress(name), "\(name)")
        }
    }

    @Test func adminAndControlURLsPairInOrderOrControlURLsStandAlone() throws {
        let paired = try Self.flags {
            $0.apisix.adminURLs = ["http://a:9180", "http://b:9180"]
            $0.apisix.controlURLs = ["http://a:9090", "http://b:9090"]
        }.resolve(environment: [:])
        #expect(paired.apisix.staticTargets?.map(\.controlURL) == ["http://a:9090", "http://b:9090"])
        let alone = try Self.flags {
            $0.apisix.adminURLs = []
            $0.apisix.controlURLs = ["http://a:9090"]
        }.resolve(environment: [:])
        #expect(alone.apisix.staticTargets?.map(\.name) == ["a:9090"])
    }

    @Test func podDiscoveryTakesItsDefaultsFromOnePlace() throws {
        let settings = try Self.flags {
            $0.apisix.discoverPods = "app.kubernetes.io/name=apisix"
            $0.apisix.namespace = "ingress-apisix"
            $0.apisix.controlPort = "apisix-control"
        }.resolve(environment: [:])
        let discovery = try #require(settings.apisix.podDiscovery)
        #expect(discovery.adminPort == .number(SettingDefaults.discoveredAdminPort))
        #expect(discovery.adminScheme == SettingDefaults.discoveredAdminScheme)
        #expect(discovery.controlPort == .name("apisix-control"))
    }
}
