/// The `traffic-split` plugin of a ``FakeRoute`` or ``FakeService``, with one rule of weighted upstreams, as
/// apisix-ingress-controller 2.x writes it for an HTTPRoute rule with several backends:
/// `{"traffic-split":{"rules":[{"weighted_upstreams":[{"weight":1},{"upstream_id":"…","weight":1}]}]}}`.
///
/// A weighted upstream without an id stands for the object's own upstream; the data plane routes a share of the
/// traffic to each `upstream_id`, so those upstreams serve the route too.
public struct FakeTrafficSplit: Sendable, Hashable {
    /// One entry of `weighted_upstreams`.
    public struct WeightedUpstream: Sendable, Hashable {
        /// `upstream_id`; `nil` (the object's own upstream) omits it.
        public var upstreamID: FakeUpstream.ID?
        /// `weight`.
        public var weight: Int

        /// Creates an entry.
        public init(upstreamID: FakeUpstream.ID?, weight: Int = 1) {
            self.upstreamID = upstreamID
            self.weight = weight
        }
    }

    /// The entries of the rule's `weighted_upstreams`.
    public var weightedUpstreams: [WeightedUpstream]

    /// Creates the plugin configuration.
    public init(weightedUpstreams: [WeightedUpstream]) {
        self.weightedUpstreams = weightedUpstreams
    }

    /// The ids of the referenced upstreams.
    public var upstreamIDs: [FakeUpstream.ID] {
        self.weightedUpstreams.compactMap(\.upstreamID)
    }
}
