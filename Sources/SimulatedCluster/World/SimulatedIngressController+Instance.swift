extension SimulatedIngressController {
    /// One APISIX instance the controller writes to, with its own delay. Each instance gets every change on its
    /// own schedule (as apisix-ingress-controller 2.x's `apisix-standalone` provider pushes to every APISIX pod
    /// separately) and its own truth records (``TruthRecord/instance``).
    ///
    /// For instances that share one etcd (several APISIX pods behind the same etcd), give them the same delay and
    /// tell them apart by ``FakeAPISIXAdmin/workerDelay`` instead.
    public struct Instance: Sendable {
        /// The fake instance.
        public var apisix: FakeAPISIXAdmin
        /// The delay distribution of this instance's writes, or `nil` for the controller's
        /// ``Configuration/lag``.
        public var lag: LagDistribution?
        /// Seconds added to every delay drawn for this instance.
        public var extraDelay: Double

        /// Creates an instance.
        ///
        /// - Parameters:
        ///   - apisix: The fake instance.
        ///   - lag: Its own delay distribution, or `nil` (the default) for the controller's.
        ///   - extraDelay: Seconds added to every delay, 0 by default.
        public init(apisix: FakeAPISIXAdmin, lag: LagDistribution? = nil, extraDelay: Double = 0) {
            self.apisix = apisix
            self.lag = lag
            self.extraDelay = extraDelay
        }

        /// The instance's name (``FakeAPISIXAdmin/name``).
        public var name: String {
            self.apisix.name
        }
    }
}
