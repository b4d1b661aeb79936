/// What a container's `lifecycle.preStop` does before the container gets SIGTERM, as far as a delay can be read
/// from it.
public enum PreStopAction: Sendable, Hashable {
    /// No preStop hook: a delay of 0.
    case none
    /// The native sleep action, `sleep.seconds`.
    case sleep(seconds: Int)
    /// An `exec` hook that sleeps first: `sleep N`, `["sleep","5s"]`, or a shell line starting with `sleep N`.
    /// `command` is the hook's command as written (a patch changes only the number in it).
    case execSleep(seconds: Int, command: [String])
    /// Anything else (`httpGet`, `tcpSocket`, other scripts): the delay is not guessed. `form` names what it is.
    case unknown(form: String)

    /// The delay in seconds, nil when unknown.
    public var seconds: Int? {
        switch self {
        case .none: 0
        case .sleep(let seconds), .execSleep(let seconds, _): seconds
        case .unknown: nil
        }
    }

    /// A short name of the form: `none`, `sleep`, `exec`, or the unknown form.
    public var form: String {
        switch self {
        case .none: "none"
        case .sleep: "sleep"
        case .execSleep: "exec"
        case .unknown(let form): form
        }
    }
}
