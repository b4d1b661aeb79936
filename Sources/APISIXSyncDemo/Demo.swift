import APISIXSyncExporter
import Foundation
import Logging
import SimulatedCluster
import UnixSignals

/// `apisix-sync-exporter demo`: a simulated cluster on loopback ports, measured by the real exporter pipeline.
public enum Demo {
    /// Starts the fakes and the simulated world, then runs the exporter against them (the same code path as `serve`)
    /// until one of `signals` arrives or the task is cancelled.
    ///
    /// - Parameters:
    ///   - settings: the exporter's settings; the Kubernetes connection and the APISIX URL are the demo's own.
    ///   - print: where the few lines about what started go.
    public static func run(
        settings: ExporterSettings,
        options: DemoOptions,
        logger: Logger,
        signals: [UnixSignal] = [.sigterm, .sigint],
        print: @escaping @Sendable (String) -> Void = { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) },
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let etcd = options.source == .etcd ? try await DemoEtcd.start() : nil
        let cluster: DemoCluster
        do {
            cluster = try await DemoCluster.start(options: options)
        } catch {
            etcd?.stop()
            throw error
        }
        // Before the world writes anything: every write reaches etcd, in order.
        etcd?.mirror(cluster.apisix)
        let world = SimulatedWorld(
            kubernetes: cluster.kubernetes,
            apisix: cluster.apisix,
            configuration: worldConfiguration(options)
        )
        await world.start()
        let settings = demoSettings(settings, cluster: cluster, etcdEndpoint: etcd?.endpoint)
        let worldTask = Task { try await world.run() }
        do {
            let connection = try cluster.connection()
            let frozen = settings
            try await Exporter.run(
                settings: frozen,
                connection: connection,
                logger: logger,
                signals: signals,
                onServerRunning: { port in
                    var text = banner(settings: frozen, port: port, options: options, cluster: cluster, world: world)
                    if let etcd {
                        text +=
                            "\n  etcd            \(etcd.endpoint)   (the fake Admin API's writes, mirrored; the exporter watches it)"
                    }
                    print(text)
                    await onServerRunning(port)
                }
            )
        } catch {
            worldTask.cancel()
            _ = await worldTask.result
            await cluster.stop()
            etcd?.stop()
            throw error
        }
        worldTask.cancel()
        _ = await worldTask.result
        await cluster.stop()
        etcd?.stop()
    }

    /// The simulated world for the demo's options.
    public static func worldConfiguration(_ options: DemoOptions) -> SimulatedWorld.Configuration {
        SimulatedWorld.Configuration(
            seed: options.seed,
            services: options.services,
            churn: options.churn,
            controller: .init(lag: .logNormal(median: options.lagMedian, p99: options.lagP99))
        )
    }

    /// `settings` pointed at the demo's cluster: its kubeconfig, and its fake Admin API or the etcd it mirrors into.
    static func demoSettings(
        _ settings: ExporterSettings,
        cluster: DemoCluster,
        etcdEndpoint: String?
    )
        -> ExporterSettings
    {
        let kubernetes = settings.kubernetes
        let apisix = settings.apisix
        return ExporterSettings(
            web: settings.web,
            kubernetes: KubernetesSettings(
                kubeconfigPath: cluster.kubeconfigPath,
                context: kubernetes.context,
                namespaces: kubernetes.namespaces,
                watchPods: kubernetes.watchPods,
                listTimeout: kubernetes.listTimeout
            ),
            apisix: APISIXSettings(
                adminURLs: etcdEndpoint == nil ? [cluster.apisix.baseURL] : [],
                controlURLs: apisix.controlURLs,
                view: apisix.view,
                podDiscovery: apisix.podDiscovery,
                etcd: etcdEndpoint.map { EtcdSettings(endpoints: [$0]) } ?? apisix.etcd,
                client: apisix.client,
                overrides: apisix.overrides
            ),
            polling: settings.polling,
            measurement: settings.measurement,
            logging: settings.logging
        )
    }

    static func banner(
        settings: ExporterSettings,
        port: Int,
        options: DemoOptions,
        cluster: DemoCluster,
        world: SimulatedWorld
    ) -> String {
        let listenHost = settings.web.listenHost
        let host = listenHost.isEmpty || listenHost == "0.0.0.0" ? "localhost" : listenHost
        // With TLS from --web.config.file the links are https (the file was validated at flag parsing).
        let tls = settings.web.configFile.flatMap { try? WebConfig.load(path: $0) }?.tls != nil
        let base = "\(tls ? "https" : "http")://\(host.contains(":") ? "[\(host)]" : host):\(port)"
        let lag =
            "log-normal, median \(GoDuration.format(seconds: options.lagMedian)), "
            + "p99 \(GoDuration.format(seconds: options.lagP99)); \(world.serviceNames.first ?? "one Service") is slower"
        let configuration = world.configuration
        let workloads = world.serviceNames.enumerated().prefix(6).map { index, name in
            "    \(name): \(configuration.workload(service: index))"
        }
        return """
            apisix-sync-exporter demo: \(options.services) simulated Services scale and roll (seed \(options.seed)); \
            the simulated ingress controller syncs APISIX after a delay (\(lag)).
              status page     \(base)/
              metrics         \(base)\(settings.web.telemetryPath)
              recommendation  \(base)/recommendation?format=yaml
              Kubernetes API  \(cluster.kubernetes.baseURL)   kubectl --kubeconfig \(cluster.kubeconfigPath) \
            get endpointslices -A --watch   (also: get pods -A, get replicasets -A)
            \(workloads.isEmpty ? "" : "  pod shutdown (deleted pods stay terminating in their slices):\n")\
            \(workloads.joined(separator: "\n"))\(workloads.isEmpty ? "" : "\n")\
              APISIX Admin    \(cluster.apisix.baseURL)/apisix/admin/upstreams
            The recommendation needs \(settings.measurement.recommendation.minSamples) removals (about a minute). Ctrl-C stops.
            """
    }
}
