/// An APISIX service as far as it decides which upstream serves the routes that use it.
public struct APISIXService: Sendable, Equatable {
    /// The id, as a string even when APISIX stored an integer.
    public var id: String
    public var name: String?
    public var upstreamID: String?
    /// The inline `upstream`; nil when absent (an empty `{}` counts as absent).
    public var upstream: APISIXInlineUpstream?
    /// Upstream ids of a traffic-split plugin on the service (apisix-ingress-controller 2.x puts it there); nil when the
    /// service has none. Routes with their own traffic-split plugin replace it.
    public var trafficSplitUpstreamIDs: [String]?
    /// The revision of the service's last write (etcd revision, or the writer's value in standalone mode).
    public var modifiedIndex: Int?

    public init(
        id: String,
        name: String? = nil,
        upstreamID: String? = nil,
        upstream: APISIXInlineUpstream? = nil,
        trafficSplitUpstreamIDs: [String]? = nil,
        modifiedIndex: Int? = nil
    ) {
        self.id = id
        self.name = name
        self.upstreamID = upstreamID
        self.upstream = upstream
        self.trafficSplitUpstreamIDs = trafficSplitUpstreamIDs
        self.modifiedIndex = modifiedIndex
    }
}

extension APISIXService: ModifiedIndexed {}
