/// `client_auth_type`, with Go's `crypto/tls` meanings.
public enum ClientAuthType: String, Sendable, CaseIterable {
    /// No client certificate is requested.
    case noClientCert = "NoClientCert"
    /// A certificate is requested but neither required nor verified.
    case requestClientCert = "RequestClientCert"
    /// A certificate is required but not verified.
    case requireAnyClientCert = "RequireAnyClientCert"
    /// A certificate, if sent, must be signed by `client_ca_file`.
    case verifyClientCertIfGiven = "VerifyClientCertIfGiven"
    /// A certificate signed by `client_ca_file` is required.
    case requireAndVerifyClientCert = "RequireAndVerifyClientCert"

    /// Whether certificates are checked against `client_ca_file`.
    public var verifies: Bool { self == .verifyClientCertIfGiven || self == .requireAndVerifyClientCert }
}
