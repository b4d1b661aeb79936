/// A container's `lifecycle.preStop` handler, in one of the three forms Kubernetes accepts.
public enum FakePreStop: Sendable, Hashable {
    /// `sleep: {seconds: N}` (the `PodLifecycleSleepAction` feature).
    case sleep(seconds: Int)
    /// `exec: {command: [...]}`, e.g. `["/bin/sh", "-c", "sleep 5 && nginx -s quit"]`.
    case exec(command: [String])
    /// `httpGet: {path, port}`: how long it takes cannot be read from the spec.
    case httpGet(path: String, port: Int)

    /// How long the handler runs, in seconds, as far as the spec tells: the sleep's seconds, the first
    /// `sleep N` of an exec command, `nil` for an `httpGet` or an exec command without a sleep.
    public var declaredSeconds: Double? {
        switch self {
        case .sleep(let seconds):
            return Double(max(seconds, 0))
        case .exec(let command):
            let words = command.joined(separator: " ").split(whereSeparator: { $0 == " " || $0 == ";" || $0 == "&" })
            for (index, word) in words.enumerated() where word == "sleep" && index + 1 < words.count {
                if let value = Double(words[index + 1]) { return value }
            }
            return nil
        case .httpGet:
            return nil
        }
    }
}
