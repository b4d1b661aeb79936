/// What the stored resource types of ``FakeAPISIXAdmin`` (upstreams, services, routes) have in common.
protocol FakeAPISIXObject: Sendable, Hashable {
    /// The resource type as in the Admin API path and the etcd key, e.g. `upstreams`.
    static var resourceType: String { get }
    /// The object's id.
    var id: FakeUpstream.ID { get }
    /// `name`, which the Admin API's `name` filter searches.
    var name: String? { get }
    /// `labels`, whose keys the Admin API's `label` filter matches.
    var labels: [String: String] { get }
    /// The object's own fields as written in `value`, without the ones the store adds (`create_time`,
    /// `update_time`, `modifiedIndex`).
    func fields(_ encoding: APISIXWire.NodeEncoding) -> [(String, JSONValue)]
}

extension FakeUpstream: FakeAPISIXObject {
    static var resourceType: String { "upstreams" }
}

extension FakeService: FakeAPISIXObject {
    static var resourceType: String { "services" }
}

extension FakeRoute: FakeAPISIXObject {
    static var resourceType: String { "routes" }
}
