/// A flag with an invalid value: the command line prints ``message`` as one line and exits with 2.
public struct SettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The flag at fault, e.g. `--web.listen-address`.
    public let flag: String
    /// What is wrong with its value.
    public let problem: String

    public init(flag: String, _ problem: String) {
        self.flag = flag
        self.problem = problem
    }

    /// `invalid --flag: problem`.
    public var message: String { "invalid \(flag): \(problem)" }
    public var description: String { message }
}
