/// Supplies the `Authorization` header for requests to the Kubernetes API.
///
/// Implementations must be safe to call concurrently. A client calls ``authorization()`` before every request and
/// ``invalidate()`` after an HTTP 401, then retries once with a fresh ``authorization()``.
public protocol KubernetesCredentialSource: Sendable {
    /// The value of the `Authorization` header (`"Bearer …"` or `"Basic …"`), or `nil` when the connection
    /// authenticates otherwise (client certificate, or no authentication at all).
    /// - Throws: ``KubernetesConnectionError`` when the token file cannot be read or the exec plugin fails.
    func authorization() async throws -> String?

    /// Drops any cached credential, so that the next ``authorization()`` re-reads the token file or re-runs the
    /// exec plugin. Call this after an HTTP 401.
    func invalidate() async
}
