extension SimulatedIngressController {
    /// Which ready set a write carries.
    public enum WriteMode: Sendable, Hashable {
        /// The ready set as it was at the change the write is for (the default). A change reverted faster than
        /// the controller is superseded only when the revert's write falls due together with the change's
        /// (its delay is shorter by at least the revert time, about half the time with the default lag);
        /// otherwise APISIX shows the change briefly.
        case snapshot
        /// The newest ready set received when the write falls due, as apisix-ingress-controller 1.x does (it
        /// reads its informer cache when it processes an event): later changes ride along with earlier writes,
        /// and a change reverted faster than the controller is almost always superseded.
        case latest
    }

    /// Settings of a ``SimulatedIngressController``.
    public struct Configuration: Sendable {
        /// The delay between an EndpointSlice change and the upstream write that reflects it.
        public var lag: LagDistribution
        /// The index of the Service that is consistently slower (its delays are multiplied by ``slowFactor``), or
        /// `nil` for none.
        public var slowService: Int?
        /// The factor by which ``slowService``'s delays are longer.
        public var slowFactor: Double
        /// Delay distributions of particular Services, by index, that replace ``lag`` (and ``slowFactor``) for them and
        /// for every instance (an instance's ``Instance/extraDelay`` is still added): e.g. a Service whose every change
        /// takes 5-7 s. Empty by default.
        public var serviceLag: [Int: LagDistribution]
        /// The seed of the delay draws; `nil` derives it from the world's seed (or picks a random one for a
        /// controller created on its own).
        public var seed: UInt64?
        /// The weight of every node, as apisix-ingress-controller writes it.
        public var nodeWeight: Int
        /// Which ready set a write carries.
        public var writeMode: WriteMode
        /// How many records ``SimulatedIngressController/truth`` keeps (the oldest are dropped first), or `nil` to
        /// keep all.
        public var truthLimit: Int?
        /// Where each Service port's nodes are written in APISIX.
        public var style: UpstreamStyle
        /// The form of the nodes with ``UpstreamStyle/upstreams`` and ``UpstreamStyle/inlineRoutes`` (the other
        /// styles write arrays, as their writers do).
        public var nodeShape: FakeUpstream.NodeShape

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - lag: The delay distribution; log-normal with median 0.6 s and p99 3 s, plus 1 % outliers of
        ///     6–12 s, by default.
        ///   - slowService: The slow Service's index, 0 by default.
        ///   - slowFactor: How much slower it is, 2.5 by default.
        ///   - serviceLag: Delay distributions of particular Services by index, none by default.
        ///   - seed: The seed of the delay draws, or `nil`.
        ///   - nodeWeight: The node weight, 100 by default.
        ///   - writeMode: Which ready set a write carries, ``WriteMode/snapshot`` by default.
        ///   - truthLimit: How many truth records to keep, 100 000 by default (a day of the default demo).
        ///   - style: Where nodes are written, apisix-ingress-controller 1.x upstreams by default.
        ///   - nodeShape: The form of the nodes, arrays by default.
        public init(
            lag: LagDistribution = .logNormal(median: 0.6, p99: 3),
            slowService: Int? = 0,
            slowFactor: Double = 2.5,
            serviceLag: [Int: LagDistribution] = [:],
            seed: UInt64? = nil,
            nodeWeight: Int = 100,
            writeMode: WriteMode = .snapshot,
            truthLimit: Int? = 100_000,
            style: UpstreamStyle = .upstreams,
            nodeShape: FakeUpstream.NodeShape = .array
        ) {
            self.lag = lag
            self.slowService = slowService
            self.slowFactor = slowFactor
            self.serviceLag = serviceLag
            self.seed = seed
            self.nodeWeight = nodeWeight
            self.writeMode = writeMode
            self.truthLimit = truthLimit
            self.style = style
            self.nodeShape = nodeShape
        }
    }
}
