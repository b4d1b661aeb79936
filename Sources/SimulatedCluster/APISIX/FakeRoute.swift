/// An APISIX route as scripted into ``FakeAPISIXAdmin``: `/apisix/admin/routes/{id}`, or an item of `routes` in
/// API-driven standalone mode.
///
/// A route reaches its nodes through ``upstreamID``, an inline ``upstream``, its service (``serviceID``) or the
/// `upstream_id`s of a ``trafficSplit``. The data plane prefers `upstream_id` over an inline upstream, and a
/// route-level upstream over its service's. The fake adds `create_time`/`update_time` and the indexes when it is
/// stored.
public struct FakeRoute: Sendable, Hashable {
    /// The id.
    public var id: FakeUpstream.ID
    /// `name`; `nil` omits it.
    public var name: String?
    /// `desc`; `nil` omits it.
    public var desc: String?
    /// `labels`; empty omits it.
    public var labels: [String: String]
    /// `uri`; `nil` omits it.
    public var uri: String?
    /// `uris`; empty omits it.
    public var uris: [String]
    /// `hosts`; empty omits it.
    public var hosts: [String]
    /// `methods`; empty omits it.
    public var methods: [String]
    /// `priority`; `nil` omits it.
    public var priority: Int?
    /// `status`; `nil` omits it.
    public var status: Int?
    /// `service_id`; `nil` omits it.
    public var serviceID: FakeUpstream.ID?
    /// `upstream_id`; `nil` omits it.
    public var upstreamID: FakeUpstream.ID?
    /// The inline `upstream` (its ``FakeUpstream/id`` is not written); `nil` omits it.
    public var upstream: FakeUpstream?
    /// The `traffic-split` plugin; `nil` writes no `plugins`.
    public var trafficSplit: FakeTrafficSplit?

    /// Creates a route.
    ///
    /// - Parameters:
    ///   - id: The id.
    ///   - name: The name, or `nil`.
    ///   - desc: The description, or `nil`.
    ///   - labels: The labels.
    ///   - uri: The `uri`, or `nil`.
    ///   - uris: The `uris`.
    ///   - hosts: The hosts.
    ///   - methods: The methods.
    ///   - priority: The priority, or `nil`.
    ///   - status: The status, or `nil`.
    ///   - serviceID: The service, or `nil`.
    ///   - upstreamID: The referenced upstream, or `nil`.
    ///   - upstream: The inline upstream, or `nil`.
    ///   - trafficSplit: The `traffic-split` plugin, or `nil`.
    public init(
        id: FakeUpstream.ID,
        name: String? = nil,
        desc: String? = nil,
        labels: [String: String] = [:],
        uri: String? = nil,
        uris: [String] = [],
        hosts: [String] = [],
        methods: [String] = [],
        priority: Int? = nil,
        status: Int? = nil,
        serviceID: FakeUpstream.ID? = nil,
        upstreamID: FakeUpstream.ID? = nil,
        upstream: FakeUpstream? = nil,
        trafficSplit: FakeTrafficSplit? = nil
    ) {
        self.id = id
        self.name = name
        self.desc = desc
        self.labels = labels
        self.uri = uri
        self.uris = uris
        self.hosts = hosts
        self.methods = methods
        self.priority = priority
        self.status = status
        self.serviceID = serviceID
        self.upstreamID = upstreamID
        self.upstream = upstream
        self.trafficSplit = trafficSplit
    }
}
