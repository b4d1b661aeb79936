import Foundation

/// A strategic-merge patch that gives one container of a Deployment, StatefulSet or DaemonSet the recommended preStop
/// delay (and a grace period that fits it), with the `kubectl patch` command that applies it.
public struct WorkloadPatch: Sendable, Equatable {
    public let workload: WorkloadKey
    public let container: String
    /// The patch document: compact JSON, keys in a fixed order, the container merged by `name`.
    public let json: String
    /// `kubectl patch <kind> <name> -n <namespace> --type strategic -p '<json>'`, every argument shell-quoted.
    public let command: String
    /// What to know before applying it (the native sleep action needs Kubernetes 1.30 or later, `seconds: 0` 1.33),
    /// or nil.
    public let note: String?

    /// The patch, or nil when there is none to write: a kind other than Deployment, StatefulSet or DaemonSet (a bare
    /// Pod cannot be patched, other controllers are not ours to change), an `.unknown` hook (its delay is never
    /// guessed), a negative recommendation, or a recommendation longer than the grace period the patch leaves.
    ///
    /// `.none` and `.sleep` get `lifecycle.preStop.sleep.seconds`; `.execSleep` keeps its command with only the sleep
    /// number replaced. `terminationGracePeriodSeconds` is set only when `currentGrace < recommendedGrace`.
    public init?(
        workload: WorkloadKey,
        container: String,
        current: PreStopAction,
        recommendedPreStop: Int,
        currentGrace: Int,
        recommendedGrace: Int
    ) {
        guard let resource = Self.resources[workload.kind], recommendedPreStop >= 0,
            recommendedPreStop <= max(currentGrace, recommendedGrace)
        else { return nil }
        let preStop: String
        switch current {
        case .none:
            // Switching from no handler: clear any other handler so the result never holds two.
            preStop = #"{"exec":null,"httpGet":null,"sleep":{"seconds":\#(recommendedPreStop)},"tcpSocket":null}"#
            note = [Self.sleepActionNote, recommendedPreStop == 0 ? Self.zeroSleepNote : nil]
                .compactMap { $0 }.joined(separator: " ")
        case .sleep:
            preStop = #"{"sleep":{"seconds":\#(recommendedPreStop)}}"#
            note = recommendedPreStop == 0 ? Self.zeroSleepNote : nil
        case .execSleep(_, let command):
            guard let sleep = ExecSleep(command: command) else { return nil }
            let patched = sleep.replacing(in: command, seconds: recommendedPreStop)
            preStop = #"{"exec":{"command":[\#(patched.map(Self.jsonString).joined(separator: ","))]}}"#
            note = nil
        case .unknown:
            return nil
        }
        var spec = #"{"containers":[{"name":\#(Self.jsonString(container)),"lifecycle":{"preStop":\#(preStop)}}]"#
        if currentGrace < recommendedGrace { spec += #","terminationGracePeriodSeconds":\#(recommendedGrace)"# }
        spec += "}"
        self.workload = workload
        self.container = container
        self.json = #"{"spec":{"template":{"spec":\#(spec)}}}"#
        self.command = [
            "kubectl", "patch", resource, workload.name, "-n", workload.namespace, "--type", "strategic", "-p", json,
        ]
        .map(Self.shellQuoted).joined(separator: " ")
    }

    private static let sleepActionNote =
        "The native sleep action (lifecycle.preStop.sleep) needs Kubernetes 1.30 or later."
    private static let zeroSleepNote = "A sleep of 0 seconds needs Kubernetes 1.33 or later."

    /// The `kubectl` resource names of the kinds a patch is written for.
    private static let resources = ["Deployment": "deployment", "StatefulSet": "statefulset", "DaemonSet": "daemonset"]

    /// A JSON string literal.
    static func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{00}"..."\u{1F}", "\u{2028}", "\u{2029}":
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// `text` as one POSIX shell word: unchanged when it has only safe characters, else in single quotes.
    static func shellQuoted(_ text: String) -> String {
        let safe =
            !text.isEmpty
            && text.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                        || "-_./:=@%+,".unicodeScalars.contains(scalar))
            }
        return safe ? text : "'" + text.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }
}
