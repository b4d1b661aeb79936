/// What one target's poller remembers between full refreshes: the detected Admin API mode and the objects of the
/// last refresh, which the next one reuses when their `modifiedIndex` did not change.
public struct APISIXRefreshState: Sendable {
    /// nil until detected; detected again after a refresh answered 404 (the target changed mode or URL).
    public var mode: APISIXAdminMode?
    var upstreams: [String: APISIXUpstream] = [:]
    var routes: [String: APISIXRoute] = [:]
    var services: [String: APISIXService] = [:]
    var standalone: APISIXStandaloneConfig?
    /// `X-Digest` (else `X-Last-Modified`) of the standalone config last read.
    var configVersion: String?
    /// Upstreams in use with `discovery_type: kubernetes`, by id: their nodes come from the discovery dump.
    var kubernetesDiscovery: [String: APISIXUpstream] = [:]

    public init() {}
}
