import AsyncHTTPClient
import Hummingbird
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import UnixSignals

/// Wires the whole exporter: Kubernetes watchers, APISIX pollers, the tracker, metrics and the HTTP server.
public enum Exporter {
    /// Runs until cancelled or until one of `signals` arrives (then stops gracefully).
    ///
    /// - Parameters:
    ///   - connection: how to reach the Kubernetes API.
    ///   - onServerRunning: called with the bound port once the HTTP server listens.
    public static func run(
        settings: ExporterSettings,
        connection: KubernetesConnection,
        logger: Logger,
        clock: any WallClock = SystemWallClock(),
        signals: [UnixSignal] = [.sigterm, .sigint],
        observer: (@Sendable (ChangeRecord) -> Void)? = nil,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        // First, so that an invalid --web.config.file stops start-up before anything runs.
        let webConfig = try settings.web.configFile.map { (path) throws(WebConfigError) in
            try WebConfigStore(path: path, logger: logger)
        }
        var targets = settings.apisix.staticTargets ?? []
        var etcdClient: EtcdGatewayClient?
        var etcdTarget: APISIXTarget?
        if let etcd = settings.apisix.etcd, let target = EtcdSource.target(for: etcd) {
            do {
                etcdClient = try EtcdGatewayClient(settings: etcd)
            } catch {
                throw ExporterStartError("--apisix.etcd-ca-file/--apisix.etcd-cert-file: \(error.message)")
            }
            etcdTarget = target
            targets.append(target)
        }
        let metrics = ExporterMetrics(
            resolution: settings.polling.fastPollInterval,
            serviceLabels: settings.measurement.serviceLabels
        )
        metrics.setBuildInfo(
            version: BuildInfo.version,
            revision: BuildInfo.revision,
            swiftVersion: BuildInfo.swiftVersion
        )
        let tracker = SyncTracker(settings: settings.tracker, targets: targets, metrics: metrics, logger: logger)
        await tracker.setKubernetesTarget(Self.hostPort(of: connection.server))
        await tracker.setObserver(observer)
        await tracker.setAwaitingPodDiscovery(settings.apisix.podDiscovery != nil)

        let kubeHTTP = HTTPClient(
            eventLoopGroupProvider: .singleton,
            configuration: KubernetesClient.httpConfiguration(for: connection)
        )
        var kubernetes = KubernetesClient(connection: connection, http: kubeHTTP)
        kubernetes.listTimeout = .milliseconds(Int64(settings.kubernetes.listTimeout * 1000))
        var services: [any Service] = []
        var sources: [APISIXSource] = []
        let namespaces = settings.kubernetes.namespaces
        for namespace in namespaces.isEmpty ? [nil] : namespaces.map(Optional.some) {
            services.append(
                EndpointSliceWatcher(
                    client: kubernetes,
                    namespace: namespace,
                    consumer: tracker,
                    clock: clock,
                    logger: logger
                )
            )
            if settings.kubernetes.watchPods {
                services += PodWatchers.make(
                    client: kubernetes,
                    namespace: namespace,
                    tracker: tracker,
                    clock: clock,
                    logger: logger
                )
            }
        }
        if let etcdClient, let etcdTarget {
            services.append(
                EtcdSource(
                    client: etcdClient,
                    target: etcdTarget,
                    tracker: tracker,
                    clock: clock,
                    lookInterval: settings.polling.fastPollInterval,
                    logger: logger
                )
            )
        }
        for target in targets where target != etcdTarget {
            let poller = APISIXPoller(
                target: target,
                client: settings.apisix.client,
                polling: settings.polling,
                tracker: tracker,
                clock: clock,
                logger: logger
            )
            sources.append(poller.source)
            services.append(poller)
        }
        if let podDiscovery = settings.apisix.podDiscovery {
            services.append(
                APISIXPodDiscoveryService(
                    client: settings.apisix.client,
                    polling: settings.polling,
                    view: settings.apisix.view,
                    discovery: podDiscovery,
                    kubernetes: kubernetes,
                    tracker: tracker,
                    clock: clock,
                    logger: logger
                )
            )
        }
        let app = ExporterApplication.build(
            web: settings.web,
            measurement: settings.measurement,
            tracker: tracker,
            metrics: metrics,
            clock: clock,
            services: services,
            logger: logger,
            webConfig: webConfig,
            onServerRunning: onServerRunning
        )
        logger.info(
            "starting apisix-sync-exporter",
            metadata: [
                "version": .string(BuildInfo.version), "kubernetes": .string(connection.description),
                "settings": .dictionary(settings.redactedSummary.mapValues { .string($0) }),
            ]
        )
        let group = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: signals, logger: logger)
        )
        do {
            try await group.run()
        } catch {
            for source in sources { source.shutdown() }
            await etcdClient?.shutdown()
            try? await kubeHTTP.shutdown()
            throw error
        }
        for source in sources { source.shutdown() }
        await etcdClient?.shutdown()
        try await kubeHTTP.shutdown()
        logger.info("stopped")
    }

    /// A start-up failure outside flag parsing, with a message free of secrets.
    public struct ExporterStartError: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    static func hostPort(of url: String) -> String {
        APISIXTarget.parse(url)?.name ?? url
    }
}
