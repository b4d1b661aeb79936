import SimulatedCluster

/// Simulated worlds that more than one layer runs: the simulated cluster's own tests and the exporter's end-to-end
/// tests against it.
public enum SimulatedWorlds {
    /// One Service of three replicas without churn, a fixed controller lag of 50 ms: the world of several APISIX
    /// instances (`MultipleAPISIXInstancesTests`, `APISIXInstancesTests`).
    public static func multipleInstances(apisixService: SimulatedAPISIXService? = nil) -> SimulatedWorld.Configuration {
        .init(
            seed: 11,
            services: 1,
            replicas: 3...3,
            churn: false,
            startupDelay: 0.05...0.05,
            terminationPeriod: 30,
            controller: .init(lag: .fixed(0.05), slowService: nil),
            apisixService: apisixService
        )
    }

    /// Pods with a preStop sleep and a secret in their env, an endpoint controller that takes `delay`: the world of
    /// pod deletions (`SimulatedWorldPodTests`, `PodDeletionEndToEndTests`).
    public static func pods(
        seed: UInt64 = 7,
        services: Int = 2,
        replicas: ClosedRange<Int> = 3...3,
        delay: Double = 0.3,
        workloads: [SimulatedWorkload] = [
            SimulatedWorkload(preStop: .sleep(seconds: 1), env: [SimulatedWorkload.demoSecret], exitSeconds: 0.5)
        ]
    ) -> SimulatedWorld.Configuration {
        .init(
            seed: seed,
            services: services,
            replicas: replicas,
            churn: false,
            endpointControllerDelay: delay...delay,
            workloads: workloads,
            controller: .init(lag: .fixed(0.2))
        )
    }
}
