/// An APISIX service as scripted into ``FakeAPISIXAdmin``: `/apisix/admin/services/{id}`, or an item of
/// `services` in API-driven standalone mode.
///
/// apisix-ingress-controller 2.x (through ADC) writes one service per route rule, named after the route
/// (`namespace_ingress_0-0`, `namespace_httproute_0`): with ADC before 0.22 its first backend's nodes sit inline in
/// ``upstream``; from ADC 0.22 (0.21 in standalone mode) the service carries ``upstreamID`` of an upstream with the
/// same id and name. The fake adds `create_time`/`update_time` and the indexes when it is stored.
public struct FakeService: Sendable, Hashable {
    /// The id.
    public var id: FakeUpstream.ID
    /// `name`; `nil` omits it.
    public var name: String?
    /// `desc`; `nil` omits it.
    public var desc: String?
    /// `labels`; empty omits it.
    public var labels: [String: String]
    /// `hosts`; empty omits it.
    public var hosts: [String]
    /// `upstream_id`; `nil` omits it. When both are set, the data plane uses this rather than ``upstream``.
    public var upstreamID: FakeUpstream.ID?
    /// The inline `upstream` (its ``FakeUpstream/id`` is not written); `nil` omits it.
    public var upstream: FakeUpstream?
    /// The `traffic-split` plugin; `nil` writes no `plugins`.
    public var trafficSplit: FakeTrafficSplit?

    /// Creates a service.
    ///
    /// - Parameters:
    ///   - id: The id.
    ///   - name: The name, or `nil`.
    ///   - desc: The description, or `nil`.
    ///   - labels: The labels.
    ///   - hosts: The hosts.
    ///   - upstreamID: The referenced upstream, or `nil`.
    ///   - upstream: The inline upstream, or `nil`.
    ///   - trafficSplit: The `traffic-split` plugin, or `nil`.
    public init(
        id: FakeUpstream.ID,
        name: String? = nil,
        desc: String? = nil,
        labels: [String: String] = [:],
        hosts: [String] = [],
        upstreamID: FakeUpstream.ID? = nil,
        upstream: FakeUpstream? = nil,
        trafficSplit: FakeTrafficSplit? = nil
    ) {
        self.id = id
        self.name = name
        self.desc = desc
        self.labels = labels
        self.hosts = hosts
        self.upstreamID = upstreamID
        self.upstream = upstream
        self.trafficSplit = trafficSplit
    }
}
