/// Version information reported by `--version` and `apisix_sync_build_info`.
public enum BuildInfo {
    public static let version = "0.1.0"
    /// Set at build time by CI (`APISIX_SYNC_REVISION`); "unknown" in local builds.
    public static let revision = "unknown"
    #if swift(>=6.3)
    public static let swiftVersion = "6.3"
    #elseif swift(>=6.2)
    public static let swiftVersion = "6.2"
    #else
    public static let swiftVersion = "6"
    #endif
}
