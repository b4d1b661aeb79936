/// A bcrypt hash from `basic_auth_users`: a secret, never shown by `description` or a mirror.
public struct BcryptHash: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    /// The hash, `$2a$`, `$2b$` or `$2y$`, cost 04-31, 60 characters.
    public let value: String

    /// Nil unless `value` is a well-formed bcrypt hash.
    public init?(_ value: String) {
        guard Bcrypt.isWellFormed(value) else { return nil }
        self.value = value
    }

    public var description: String { "<bcrypt hash>" }
    public var customMirror: Mirror { Mirror(self, children: []) }
}
