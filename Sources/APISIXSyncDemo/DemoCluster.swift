import APISIXSyncExporter
import Foundation
import Logging
import SimulatedCluster

/// The fake Kubernetes API and APISIX Admin API on loopback ports, with a kubeconfig that points at them.
public final class DemoCluster: Sendable {
    public let kubernetes: FakeKubernetesAPI
    public let apisix: FakeAPISIXAdmin
    /// A kubeconfig for the fake API server (for kubectl and for the exporter's `--kubeconfig`).
    public let kubeconfigPath: String
    private let ownsKubeconfig: Bool

    /// Starts both fakes and writes the kubeconfig.
    public static func start(options: DemoOptions, logger: Logger? = nil) async throws -> DemoCluster {
        let kubernetes = FakeKubernetesAPI(logger: logger)
        let apisix = FakeAPISIXAdmin(logger: logger)
        try await kubernetes.start()
        do {
            try await apisix.start()
        } catch {
            await kubernetes.stop()
            throw error
        }
        let path: String
        let owns: Bool
        if let given = options.kubeconfigPath {
            path = given
            owns = false
        } else {
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("apisix-sync-demo-\(ProcessInfo.processInfo.processIdentifier)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            path = directory.appendingPathComponent("kubeconfig").path
            owns = true
        }
        try Self.kubeconfig(server: kubernetes.baseURL).write(toFile: path, atomically: true, encoding: .utf8)
        return DemoCluster(kubernetes: kubernetes, apisix: apisix, kubeconfigPath: path, ownsKubeconfig: owns)
    }

    private init(kubernetes: FakeKubernetesAPI, apisix: FakeAPISIXAdmin, kubeconfigPath: String, ownsKubeconfig: Bool) {
        self.kubernetes = kubernetes
        self.apisix = apisix
        self.kubeconfigPath = kubeconfigPath
        self.ownsKubeconfig = ownsKubeconfig
    }

    /// The exporter's connection to the fake API server, resolved from the kubeconfig as `--kubeconfig` would be.
    public func connection() throws -> KubernetesConnection {
        try KubernetesConnection.resolve(kubeconfigPath: kubeconfigPath, context: nil, environment: [:])
    }

    /// Stops both fakes and removes a temporary kubeconfig.
    public func stop() async {
        await kubernetes.stop()
        await apisix.stop()
        if ownsKubeconfig {
            try? FileManager.default.removeItem(atPath: (kubeconfigPath as NSString).deletingLastPathComponent)
        }
    }

    static func kubeconfig(server: String) -> String {
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: apisix-sync-demo
          cluster:
            server: \(server)
        users:
        - name: demo
          user: {}
        contexts:
        - name: apisix-sync-demo
          context:
            cluster: apisix-sync-demo
            user: demo
        current-context: apisix-sync-demo

        """
    }
}
