/// `tls_server_config`. File paths are absolute (relative ones are resolved against the config file's directory).
public struct TLSServerConfig: Sendable, Equatable {
    public var certFile: String
    public var keyFile: String
    public var clientCAFile: String?
    public var clientAuthType: ClientAuthType
    public var minVersion: TLSVersionName
    public var maxVersion: TLSVersionName?

    public init(
        certFile: String,
        keyFile: String,
        clientCAFile: String? = nil,
        clientAuthType: ClientAuthType = .noClientCert,
        minVersion: TLSVersionName = .tls12,
        maxVersion: TLSVersionName? = nil
    ) {
        self.certFile = certFile
        self.keyFile = keyFile
        self.clientCAFile = clientCAFile
        self.clientAuthType = clientAuthType
        self.minVersion = minVersion
        self.maxVersion = maxVersion
    }
}
