/// An upstream as held by ``FakeAPISIXAdmin``: the scripted upstream plus the fields APISIX and etcd own.
struct StoredUpstream: Sendable {
    /// The upstream as last written.
    var upstream: FakeUpstream
    /// `create_time`, epoch seconds of the first write.
    var createTime: Int
    /// `update_time`, epoch seconds of the last write.
    var updateTime: Int
    /// `createdIndex`: the etcd revision of the first write.
    var createdIndex: Int
    /// `modifiedIndex`: the etcd revision of the last write.
    var modifiedIndex: Int

    /// The etcd key, `/apisix/upstreams/<id>`.
    var key: String {
        "/apisix/upstreams/\(self.upstream.id)"
    }
}
