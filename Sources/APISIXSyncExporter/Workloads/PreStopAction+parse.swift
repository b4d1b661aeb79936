extension PreStopAction {
    /// The longest sleep read as a delay (one day); longer or unbounded sleeps are not a termination delay.
    public static let maximumExecSleepSeconds = 86_400

    /// Reads an `exec` hook's command: `["sleep","5"]`, `["sleep","5s"]`, `["/usr/bin/sleep","5"]`, or a shell
    /// (`sh`, `bash`, ... with `-c`) whose script starts with `sleep N` followed by its end, `;`, `&&`, `||` or a
    /// newline. Fractions round up. Anything else, including `sleep infinity`, `sleep $(...)` and sleeps longer than
    /// a day, is `.unknown(form: "exec")`.
    public static func parse(execCommand command: [String]) -> PreStopAction {
        guard let sleep = ExecSleep(command: command) else { return .unknown(form: "exec") }
        return .execSleep(seconds: sleep.seconds, command: command)
    }
}

/// Where the delay of an exec preStop command is written: the argument, the range of the duration token in it, and
/// the seconds it means. A patch replaces only that token.
struct ExecSleep: Equatable {
    /// Seconds, rounded up.
    let seconds: Int
    /// The index of the argument holding the token.
    let argument: Int
    /// The token (`5`, `5s`, `1.5`) inside that argument.
    let token: Range<String.Index>

    private static let shells: Set<String> = ["sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"]

    init?(command: [String]) {
        guard let program = command.first else { return nil }
        let name = Self.baseName(program)
        if name == "sleep" {
            guard command.count == 2, let seconds = Self.seconds(command[1][...]) else { return nil }
            self.init(seconds: seconds, argument: 1, token: command[1].startIndex..<command[1].endIndex)
        } else if Self.shells.contains(name) {
            guard command.count >= 3, Self.isCommandFlag(command[1]),
                let (seconds, token) = Self.leadingSleep(in: command[2])
            else { return nil }
            self.init(seconds: seconds, argument: 2, token: token)
        } else {
            return nil
        }
    }

    private init(seconds: Int, argument: Int, token: Range<String.Index>) {
        self.seconds = seconds
        self.argument = argument
        self.token = token
    }

    /// `command` with the sleep set to `seconds`: `5s` stays in seconds with its `s`, every other token becomes a
    /// plain number.
    func replacing(in command: [String], seconds newSeconds: Int) -> [String] {
        guard command.indices.contains(argument) else { return command }
        var result = command
        let text = command[argument]
        let suffix = text[token].hasSuffix("s") ? "s" : ""
        result[argument] = text.replacingCharacters(in: token, with: "\(newSeconds)\(suffix)")
        return result
    }

    private static func baseName(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? path
    }

    /// `-c`, or combined single-letter flags that include `c` (`-ec`, `-lc`).
    private static func isCommandFlag(_ argument: String) -> Bool {
        let letters = argument.unicodeScalars.dropFirst()
        return argument.hasPrefix("-") && letters.contains("c")
            && letters.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0) }
    }

    /// The seconds and token of a script that starts with `sleep N` and then ends or goes on with `;`, `&&`, `||` or
    /// a newline.
    private static func leadingSleep(in script: String) -> (Int, Range<String.Index>)? {
        let scalars = script.unicodeScalars
        var index = scalars.startIndex
        func skip(_ set: String) {
            while index < scalars.endIndex, set.unicodeScalars.contains(scalars[index]) {
                index = scalars.index(after: index)
            }
        }
        func word() -> Range<String.Index> {
            let start = index
            while index < scalars.endIndex, !" \t\r\n;&|".unicodeScalars.contains(scalars[index]) {
                index = scalars.index(after: index)
            }
            return start..<index
        }
        skip(" \t\r\n")
        let program = String(scalars[word()])
        guard program == "sleep" || (program.hasSuffix("/sleep") && program.hasPrefix("/")) else { return nil }
        let beforeBlank = index
        skip(" \t")
        guard index > beforeBlank else { return nil }
        let token = word()
        guard !token.isEmpty, let seconds = Self.seconds(script[token]) else { return nil }
        skip(" \t")
        let rest = script[index...]
        guard
            rest.isEmpty || rest.hasPrefix(";") || rest.hasPrefix("\n") || rest.hasPrefix("\r\n")
                || rest.hasPrefix("&&") || rest.hasPrefix("||")
        else { return nil }
        return (seconds, token)
    }

    /// The whole seconds of a `sleep` argument: a non-negative decimal number with an optional `s`, `m`, `h` or `d`
    /// unit, rounded up; nil when it is anything else or longer than a day.
    static func seconds(_ token: Substring) -> Int? {
        guard !token.isEmpty, token.utf8.count <= 32 else { return nil }
        var number = token
        var multiplier = 1.0
        switch token.last {
        case "s": number = token.dropLast()
        case "m": (number, multiplier) = (token.dropLast(), 60)
        case "h": (number, multiplier) = (token.dropLast(), 3600)
        case "d": (number, multiplier) = (token.dropLast(), 86_400)
        default: break
        }
        guard number.contains(where: { ("0"..."9").contains($0) }),
            number.allSatisfy({ ("0"..."9").contains($0) || $0 == "." }),
            number.filter({ $0 == "." }).count <= 1,
            let value = Double(number.hasPrefix(".") ? "0" + number : String(number))
        else { return nil }
        let total = (value * multiplier).rounded(.up)
        guard total.isFinite, total >= 0, total <= Double(PreStopAction.maximumExecSleepSeconds) else { return nil }
        return Int(total)
    }
}
