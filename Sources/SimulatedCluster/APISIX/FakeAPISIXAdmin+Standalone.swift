extension FakeAPISIXAdmin {
    /// The `X-Digest` of the stored configuration in standalone mode, or `nil` before the first push.
    public var configurationDigest: String? {
        self.state.withLock { $0.standaloneDigest() }
    }

    /// The `X-Last-Modified` (epoch seconds of the last push) in standalone mode, or `nil` before the first push.
    public var configurationLastModified: Int? {
        self.state.withLock { $0.standalone.lastModified }
    }

    /// The `<type>_conf_version` of resource type `type` (e.g. `upstreams`) in standalone mode; 0 before that
    /// type's first push.
    public func configurationVersion(of type: String) -> Int {
        self.state.withLock { $0.standalone.confVersions[type] ?? 0 }
    }
}
