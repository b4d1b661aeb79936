/// An APISIX route as far as it decides which upstream serves traffic.
public struct APISIXRoute: Sendable, Equatable {
    /// The id, as a string even when APISIX stored an integer.
    public var id: String
    public var name: String?
    public var upstreamID: String?
    public var serviceID: String?
    /// The inline `upstream`; nil when absent (an empty `{}` counts as absent).
    public var upstream: APISIXInlineUpstream?
    /// `plugins["traffic-split"].rules[].weighted_upstreams[].upstream_id` in order of appearance, without
    /// duplicates; nil when the route has no traffic-split plugin (a plugin without ids gives `[]`).
    public var trafficSplitUpstreamIDs: [String]?
    /// False when `status` is 0: APISIX does not route with a disabled route.
    public var isEnabled: Bool
    /// The revision of the route's last write (etcd revision, or the writer's value in standalone mode).
    public var modifiedIndex: Int?

    public init(
        id: String,
        name: String? = nil,
        upstreamID: String? = nil,
        serviceID: String? = nil,
        upstream: APISIXInlineUpstream? = nil,
        trafficSplitUpstreamIDs: [String]? = nil,
        isEnabled: Bool = true,
        modifiedIndex: Int? = nil
    ) {
        self.id = id
        self.name = name
        self.upstreamID = upstreamID
        self.serviceID = serviceID
        self.upstream = upstream
        self.trafficSplitUpstreamIDs = trafficSplitUpstreamIDs
        self.isEnabled = isEnabled
        self.modifiedIndex = modifiedIndex
    }
}

extension APISIXRoute: ModifiedIndexed {}
