extension SimulatedWorld {
    /// Settings of a ``SimulatedWorld``. Durations are in seconds of simulated time, which passes like wall-clock
    /// time while ``SimulatedWorld/run()`` runs.
    public struct Configuration: Sendable {
        /// The seed of every random choice of the world (and, unless it has its own, of the controller).
        public var seed: UInt64
        /// The number of Services, each backed by a Deployment (0–16384; above 254 pods get 1024 addresses each).
        public var services: Int
        /// The namespace of all Services.
        public var namespace: String
        /// The replica range: the initial count is drawn from it, and the churn loop scales within it.
        public var replicas: ClosedRange<Int>
        /// Whether the churn loop runs (it can be switched at run time with ``SimulatedWorld/churnEnabled``).
        public var churn: Bool
        /// Services (by index) the churn loop leaves alone: they change only through scripted actions, so a pod made
        /// not ready on purpose is not the first one a scale-down or rolling update terminates.
        public var churnExcluded: Set<Int>
        /// The interval between two churn actions of one Service, drawn uniformly per action (per-Service jitter).
        public var churnInterval: ClosedRange<Double>
        /// How long a new pod takes to become ready, drawn uniformly per pod.
        public var startupDelay: ClosedRange<Double>
        /// How long a terminating pod stays in its slice (`ready: false, serving, terminating: true`) when
        /// ``pods`` is off; with pods, each workload's preStop and grace period decide.
        public var terminationPeriod: Double
        /// Whether the world models pods and ReplicaSets: it writes them to the Kubernetes fake, endpoints carry
        /// `targetRef.uid`, and removing an endpoint deletes its pod (the pod gets `deletionTimestamp` at once, the
        /// endpoint turns terminating after ``endpointControllerDelay``, the pod and its endpoint go after the
        /// workload's shutdown). `false` is the behaviour before pods: no pods served, endpoints turn terminating at
        /// once and leave after ``terminationPeriod``.
        public var pods: Bool
        /// The endpoint controller's delay between a pod deletion and the EndpointSlice update (and between the
        /// pod's disappearance and its endpoint's), drawn uniformly per deletion; a one-value range fixes it.
        public var endpointControllerDelay: ClosedRange<Double>
        /// How each Deployment's pods shut down, by Service index (cycling); empty gives every Service
        /// ``SimulatedWorkload/plain``.
        public var workloads: [SimulatedWorkload]
        /// How long a pod reverted by ``SimulatedWorld/revert(service:)`` stays not ready.
        public var revertDelay: Double
        /// The most endpoints the world puts into one slice (the controller's `--max-endpoints-per-slice`).
        public var maxEndpointsPerSlice: Int
        /// The container port of every pod, the slices' port number.
        public var containerPort: Int
        /// The name of the Service port and of the slices' port.
        public var portName: String
        /// The Service port number, which names the APISIX upstream (`namespace_service_port`).
        public var servicePort: Int
        /// The node names pods are spread over.
        public var nodeNames: [String]
        /// How many entries ``SimulatedWorld/actions`` keeps (the oldest are dropped first).
        public var actionLogLimit: Int
        /// The simulated ingress controller's settings.
        public var controller: SimulatedIngressController.Configuration
        /// The Kubernetes Service of the APISIX pods, published as EndpointSlices of the APISIX instances (at
        /// ``SimulatedWorld/start()`` and whenever an instance is added or removed), or `nil` (the default) to
        /// publish nothing.
        public var apisixService: SimulatedAPISIXService?

        /// The workload of the Service with index `index`.
        public func workload(service index: Int) -> SimulatedWorkload {
            self.workloads.isEmpty ? .plain : self.workloads[index % self.workloads.count]
        }

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - seed: The seed, random by default (read it back from ``SimulatedWorld/seed`` to repeat a run).
        ///   - services: The number of Services, 6 by default.
        ///   - namespace: The namespace, `demo` by default.
        ///   - replicas: The replica range, 2...5 by default.
        ///   - churn: Whether the churn loop runs, `true` by default.
        ///   - churnExcluded: Services the churn loop leaves alone, none by default.
        ///   - churnInterval: The churn interval range, 2...5 s by default.
        ///   - startupDelay: The pod start-up range, 0.5...2 s by default.
        ///   - terminationPeriod: The termination period without pods, 3 s by default.
        ///   - pods: Whether pods and ReplicaSets are modelled, `true` by default.
        ///   - endpointControllerDelay: The endpoint controller's delay, 20...200 ms by default.
        ///   - workloads: The workloads by Service index, ``SimulatedWorkload/variety`` by default.
        ///   - revertDelay: The time a reverted pod stays not ready, 50 ms by default.
        ///   - maxEndpointsPerSlice: The slice capacity, 100 by default.
        ///   - containerPort: The container port, 8080 by default.
        ///   - portName: The port name, `http` by default.
        ///   - servicePort: The Service port, 80 by default.
        ///   - nodeNames: The node names.
        ///   - actionLogLimit: The size of the action log, 10 000 by default.
        ///   - controller: The controller's settings.
        ///   - apisixService: The APISIX pods' Service to publish, or `nil` (the default).
        public init(
            seed: UInt64 = .random(in: .min ... .max),
            services: Int = 6,
            namespace: String = "demo",
            replicas: ClosedRange<Int> = 2...5,
            churn: Bool = true,
            churnExcluded: Set<Int> = [],
            churnInterval: ClosedRange<Double> = 2...5,
            startupDelay: ClosedRange<Double> = 0.5...2,
            terminationPeriod: Double = 3,
            pods: Bool = true,
            endpointControllerDelay: ClosedRange<Double> = 0.02...0.2,
            workloads: [SimulatedWorkload] = SimulatedWorkload.variety,
            revertDelay: Double = 0.05,
            maxEndpointsPerSlice: Int = 100,
            containerPort: Int = 8080,
            portName: String = "http",
            servicePort: Int = 80,
            nodeNames: [String] = ["node-a", "node-b", "node-c"],
            actionLogLimit: Int = 10_000,
            controller: SimulatedIngressController.Configuration = .init(),
            apisixService: SimulatedAPISIXService? = nil
        ) {
            self.seed = seed
            self.services = services
            self.namespace = namespace
            self.replicas = replicas
            self.churn = churn
            self.churnExcluded = churnExcluded
            self.churnInterval = churnInterval
            self.startupDelay = startupDelay
            self.terminationPeriod = terminationPeriod
            self.pods = pods
            self.endpointControllerDelay = endpointControllerDelay
            self.workloads = workloads
            self.revertDelay = revertDelay
            self.maxEndpointsPerSlice = maxEndpointsPerSlice
            self.containerPort = containerPort
            self.portName = portName
            self.servicePort = servicePort
            self.nodeNames = nodeNames
            self.actionLogLimit = actionLogLimit
            self.controller = controller
            self.apisixService = apisixService
        }

        /// The settings with every value brought into its valid range.
        var sanitized: Configuration {
            var result = self
            result.services = min(max(self.services, 0), 16_384)
            let lowestReplicas = max(self.replicas.lowerBound, 0)
            result.replicas = lowestReplicas...max(self.replicas.upperBound, lowestReplicas)
            result.churnInterval = Self.nonNegative(self.churnInterval, minimum: 0.01)
            result.startupDelay = Self.nonNegative(self.startupDelay, minimum: 0)
            result.terminationPeriod = max(self.terminationPeriod, 0)
            result.endpointControllerDelay = Self.nonNegative(self.endpointControllerDelay, minimum: 0)
            result.revertDelay = max(self.revertDelay, 0)
            result.maxEndpointsPerSlice = max(self.maxEndpointsPerSlice, 1)
            result.actionLogLimit = max(self.actionLogLimit, 0)
            if result.nodeNames.isEmpty {
                result.nodeNames = ["node-a"]
            }
            return result
        }

        private static func nonNegative(_ range: ClosedRange<Double>, minimum: Double) -> ClosedRange<Double> {
            let lower = max(range.lowerBound, minimum)
            return lower...max(range.upperBound, lower)
        }
    }
}
