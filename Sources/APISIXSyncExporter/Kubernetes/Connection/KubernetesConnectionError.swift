/// Why a Kubernetes connection could not be set up, or why a credential could not be obtained.
///
/// The message is a single line that names the file, field, context or command at fault. It never contains token,
/// password or private-key material, so it is safe to log.
public struct KubernetesConnectionError: Error, CustomStringConvertible, Sendable {
    /// The one-line explanation.
    public let message: String

    /// Creates an error from a message; line breaks in `message` are replaced by spaces.
    /// - Parameter message: What is wrong, naming the file, field or command at fault.
    public init(_ message: String) {
        self.message = message.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// The one-line explanation, identical to ``message``.
    public var description: String { message }
}
