import Foundation

extension APISIXFlags {
    /// The etcd source's flags: endpoints, prefix, credentials from a file, TLS files; nil without an endpoint.
    func resolveEtcd(readFiles: Bool) throws(SettingsError) -> EtcdSettings? {
        guard !etcdEndpoints.isEmpty else {
            for (flag, value) in [
                ("--apisix.etcd-prefix", etcdPrefix), ("--apisix.etcd-username", etcdUsername),
                ("--apisix.etcd-password-file", etcdPasswordFile), ("--apisix.etcd-ca-file", etcdCAFile),
                ("--apisix.etcd-cert-file", etcdCertFile), ("--apisix.etcd-key-file", etcdKeyFile),
                ("--apisix.etcd-tls-server-name", etcdTLSServerName),
            ] where value != nil {
                throw SettingsError(flag: flag, "only applies with --apisix.etcd-endpoint")
            }
            return nil
        }
        var endpoints: [String] = []
        for url in etcdEndpoints {
            guard let parsed = APISIXTarget.parse(url) else {
                throw SettingsError(
                    flag: "--apisix.etcd-endpoint",
                    "\"\(url)\" is not an http(s) URL without credentials or query"
                )
            }
            guard URLComponents(string: parsed.url)?.path.isEmpty ?? false else {
                throw SettingsError(flag: "--apisix.etcd-endpoint", "\"\(url)\" must not have a path")
            }
            endpoints.append(parsed.url)
        }
        var etcd = EtcdSettings(endpoints: endpoints)
        if let etcdPrefix {
            guard etcdPrefix.hasPrefix("/"), etcdPrefix.count > 1, !etcdPrefix.contains("//") else {
                throw SettingsError(flag: "--apisix.etcd-prefix", "\"\(etcdPrefix)\" must start with / (like /apisix)")
            }
            etcd.prefix = etcdPrefix
        }
        switch (etcdUsername, etcdPasswordFile) {
        case (nil, nil): break
        case (.some, nil):
            throw SettingsError(flag: "--apisix.etcd-password-file", "required with --apisix.etcd-username")
        case (nil, .some):
            throw SettingsError(flag: "--apisix.etcd-username", "required with --apisix.etcd-password-file")
        case (.some(let username), .some(let file)):
            guard !username.isEmpty else { throw SettingsError(flag: "--apisix.etcd-username", "empty") }
            etcd.username = username
            if readFiles {
                etcd.password = try Self.readPassword(file)
            } else {
                etcd.password = Self.unreadSecret
            }
        }
        if (etcdCertFile == nil) != (etcdKeyFile == nil) {
            throw SettingsError(
                flag: etcdCertFile == nil ? "--apisix.etcd-cert-file" : "--apisix.etcd-key-file",
                "--apisix.etcd-cert-file and --apisix.etcd-key-file go together"
            )
        }
        let https = endpoints.contains { $0.lowercased().hasPrefix("https://") }
        for (flag, value) in [
            ("--apisix.etcd-ca-file", etcdCAFile), ("--apisix.etcd-cert-file", etcdCertFile),
            ("--apisix.etcd-tls-server-name", etcdTLSServerName),
        ] where value != nil && !https {
            throw SettingsError(flag: flag, "only applies with an https --apisix.etcd-endpoint")
        }
        etcd.caFile = etcdCAFile
        etcd.certFile = etcdCertFile
        etcd.keyFile = etcdKeyFile
        etcd.tlsServerName = try etcdTLSServerName.map(Self.tlsServerName)
        if https, readFiles {
            do {
                _ = try EtcdGatewayClient.tlsConfiguration(etcd)
            } catch {
                throw SettingsError(
                    flag: etcdCAFile != nil ? "--apisix.etcd-ca-file" : "--apisix.etcd-cert-file",
                    error.message
                )
            }
        }
        return etcd
    }

    /// A DNS name, lower-cased. Not an IP address: without a name to send, the certificate is checked against the
    /// address connected to, i.e. the member's own.
    static func tlsServerName(_ name: String) throws(SettingsError) -> String {
        let flag = "--apisix.etcd-tls-server-name"
        if FlagValue.isIPAddress(name) {
            throw SettingsError(
                flag: flag,
                "\"\(name)\" is an IP address: give a DNS name the members' certificate holds "
                    + "(an IP address is always checked against the member's own address)"
            )
        }
        guard FlagValue.isDNSName(name) else {
            throw SettingsError(flag: flag, "\"\(name)\" is not a DNS name like etcd.example.internal")
        }
        return name.lowercased()
    }

    /// The password in `file`, without a trailing newline (passwords may hold spaces); not empty.
    static func readPassword(_ file: String) throws(SettingsError) -> String {
        var password = try FlagValue.readSecretFile("--apisix.etcd-password-file", file)
        while password.last?.isNewline == true { password.removeLast() }  // "\r\n" is one Character
        guard !password.isEmpty else {
            throw SettingsError(flag: "--apisix.etcd-password-file", "\(file) is empty")
        }
        return password
    }
}
