import Foundation

extension APISIXFlags {
    /// Characters a label selector may hold.
    static let selectorCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=!,() ")

    /// `--apisix.discover-pods` and its companions; nil without a selector.
    func resolvePodDiscovery(view: APISIXView?) throws(SettingsError) -> APISIXPodDiscoverySettings? {
        guard let discoverPods else {
            for (flag, value) in [
                ("--apisix.namespace", namespace), ("--apisix.admin-port", adminPort),
                ("--apisix.admin-scheme", adminScheme), ("--apisix.control-port", controlPort),
            ] where value != nil {
                throw SettingsError(flag: flag, "only applies with --apisix.discover-pods")
            }
            return nil
        }
        guard !discoverPods.trimmingCharacters(in: .whitespaces).isEmpty,
            discoverPods.allSatisfy(Self.selectorCharacters.contains)
        else {
            throw SettingsError(flag: "--apisix.discover-pods", "\"\(discoverPods)\" is not a label selector")
        }
        guard let namespace else {
            throw SettingsError(flag: "--apisix.namespace", "required with --apisix.discover-pods")
        }
        guard FlagValue.isDNSLabel(namespace) else {
            throw SettingsError(flag: "--apisix.namespace", "\"\(namespace)\" is not a valid namespace name")
        }
        var discovery = APISIXPodDiscoverySettings(selector: discoverPods, namespace: namespace)
        if let adminPort {
            guard let port = APISIXPodDiscoverySettings.PortReference(parsing: adminPort) else {
                throw SettingsError(flag: "--apisix.admin-port", "\"\(adminPort)\" is not a port number or port name")
            }
            discovery.adminPort = port
        }
        if let adminScheme {
            guard ["http", "https"].contains(adminScheme) else {
                throw SettingsError(flag: "--apisix.admin-scheme", "\"\(adminScheme)\" must be http or https")
            }
            discovery.adminScheme = adminScheme
        }
        if let controlPort {
            guard let port = APISIXPodDiscoverySettings.PortReference(parsing: controlPort) else {
                throw SettingsError(
                    flag: "--apisix.control-port",
                    "\"\(controlPort)\" is not a port number or port name"
                )
            }
            discovery.controlPort = port
        }
        if view == .control, discovery.controlPort == nil {
            throw SettingsError(
                flag: "--apisix.view",
                "control needs --apisix.control-port with --apisix.discover-pods"
            )
        }
        return discovery
    }
}
