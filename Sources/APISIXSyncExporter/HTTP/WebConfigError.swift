/// A problem in the web configuration: names the key, never shows a value that could be a secret.
public struct WebConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The dotted key, e.g. `tls_server_config.client_auth_type`; nil for problems with the whole file.
    public let key: String?
    public let problem: String

    public init(key: String?, _ problem: String) {
        self.key = key
        // One line, always: the command line prints it as a single line.
        self.problem = problem.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    public var description: String { key.map { "\($0): \(problem)" } ?? problem }
}
