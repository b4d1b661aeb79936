/// Where the service-account token and cluster CA bundle are mounted inside a pod.
public struct InClusterFiles: Sendable, Hashable {
    /// Path of the (projected, rotating) service-account token.
    public var tokenPath: String
    /// Path of the PEM bundle of the CAs that sign the API server's certificate.
    public var caPath: String

    /// Creates a set of in-cluster file locations.
    /// - Parameters:
    ///   - tokenPath: Path of the service-account token file.
    ///   - caPath: Path of the PEM CA bundle.
    public init(tokenPath: String, caPath: String) {
        self.tokenPath = tokenPath
        self.caPath = caPath
    }

    /// The locations the kubelet uses: `/var/run/secrets/kubernetes.io/serviceaccount/{token,ca.crt}`.
    public static let standard = InClusterFiles(
        tokenPath: "/var/run/secrets/kubernetes.io/serviceaccount/token",
        caPath: "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"
    )
}
