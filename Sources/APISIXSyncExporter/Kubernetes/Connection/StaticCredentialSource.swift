import Foundation

/// A credential that never changes: an inline bearer token, basic auth, or no `Authorization` header at all.
public struct StaticCredentialSource: KubernetesCredentialSource {
    private let value: String?

    /// Creates a source that always returns `authorization` (`nil`: send no `Authorization` header).
    /// - Parameter authorization: The complete header value, e.g. `"Bearer abc"`.
    public init(authorization: String?) {
        self.value = authorization
    }

    /// A source that sends no `Authorization` header (client-certificate auth, `kubectl proxy`, tests).
    public static let none = StaticCredentialSource(authorization: nil)

    /// A source that sends `Authorization: Bearer <token>`.
    /// - Parameter token: The bearer token.
    public static func bearer(_ token: String) -> StaticCredentialSource {
        StaticCredentialSource(authorization: "Bearer \(token)")
    }

    /// A source that sends HTTP basic authentication.
    /// - Parameters:
    ///   - username: The user name.
    ///   - password: The password.
    public static func basic(username: String, password: String) -> StaticCredentialSource {
        let encoded = Data("\(username):\(password)".utf8).base64EncodedString()
        return StaticCredentialSource(authorization: "Basic \(encoded)")
    }

    /// Returns the fixed header value.
    public func authorization() async throws -> String? {
        value
    }

    /// Does nothing: a static credential cannot be refreshed.
    public func invalidate() async {}
}

extension StaticCredentialSource: CustomStringConvertible, CustomReflectable {
    /// Names the kind of credential without revealing it.
    public var description: String {
        guard let value else { return "StaticCredentialSource(none)" }
        let scheme = value.split(separator: " ", maxSplits: 1).first.map(String.init) ?? "?"
        return "StaticCredentialSource(\(scheme), redacted)"
    }

    /// Hides the credential from `dump` and debuggers.
    public var customMirror: Mirror {
        Mirror(self, children: ["description": description])
    }
}
