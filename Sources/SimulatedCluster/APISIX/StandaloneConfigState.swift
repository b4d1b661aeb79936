import Foundation

/// The metadata API-driven standalone APISIX keeps with its configuration: the `<type>_conf_version` numbers and
/// the `X-Last-Modified` / `X-Digest` of the last push.
struct StandaloneConfigState: Sendable {
    /// Every `<type>_conf_version` key of APISIX 3.14 and later (`ALL_RESOURCE_KEYS`), in lexicographic order.
    static let resourceTypes = [
        "consumer_groups", "consumers", "global_rules", "plugin_configs", "plugin_metadata", "plugins", "protos",
        "routes", "secrets", "services", "ssls", "stream_routes", "upstreams",
    ]

    /// `<type>_conf_version` by type.
    private(set) var confVersions: [String: Int] = Dictionary(uniqueKeysWithValues: resourceTypes.map { ($0, 0) })
    /// `X-Last-Modified` (epoch seconds of the last push), `nil` before the first.
    private(set) var lastModified: Int?
    /// The digest of the current configuration, `nil` before the first push or until recomputed after one.
    var digest: String?
    /// Whether a push happened (before the first, GET answers without `X-*` keys and headers).
    private(set) var isConfigured = false
    /// The last stamp handed out, so that stamps are strictly increasing.
    private var lastStamp = 0

    /// The stamp of a push at `now`: epoch milliseconds, as ADC uses for `modifiedIndex` and `<type>_conf_version`,
    /// but always above the previous stamp.
    mutating func nextStamp(now: Date) -> Int {
        self.lastStamp = max(Int((now.timeIntervalSince1970 * 1000).rounded(.down)), self.lastStamp + 1)
        return self.lastStamp
    }

    /// Records a push at `now` with `stamp` that changed the types `changed`; invalidates the digest.
    mutating func recordPush(changed: Set<String>, stamp: Int, now: Date) {
        for type in changed {
            self.confVersions[type] = stamp
        }
        self.lastModified = Int(now.timeIntervalSince1970)
        self.isConfigured = true
        self.digest = nil
    }
}
