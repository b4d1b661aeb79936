extension PreStopAction {
    /// Reads a `lifecycle.preStop` value: `null` is `.none`; a `sleep`, `exec`, `httpGet` or `tcpSocket` handler
    /// (a `null` handler counts as absent); no known handler, or more than one, is `.unknown(form: "other")`. A
    /// `sleep` without non-negative `seconds` is `.unknown(form: "sleep")`. Values of the wrong JSON type fail.
    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        if try reader.readNull() {
            self = .none
            return
        }
        var handlers: [PreStopAction] = []
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            switch key {
            case "sleep":
                if try reader.readNull() { return }
                var seconds: Int?
                try reader.readObject { reader, field throws(JSONReader.Failure) in
                    if field == "seconds" { seconds = try reader.readOptionalInteger() } else { try reader.skipValue() }
                }
                if let seconds, seconds >= 0 {
                    handlers.append(.sleep(seconds: seconds))
                } else {
                    handlers.append(.unknown(form: "sleep"))
                }
            case "exec":
                if try reader.readNull() { return }
                var command: [String] = []
                try reader.readObject { reader, field throws(JSONReader.Failure) in
                    guard field == "command" else { return }
                    command = []
                    try reader.readOptionalArray { reader throws(JSONReader.Failure) in
                        command.append(try reader.readRequiredText("command"))
                    }
                }
                handlers.append(.parse(execCommand: command))
            case "httpGet", "tcpSocket":
                if try reader.readNull() { return }
                guard try reader.kind() == .object else { throw reader.failure("\"\(key.text)\" is not an object") }
                try reader.skipValue()
                handlers.append(.unknown(form: key.text))
            default: try reader.skipValue()
            }
        }
        self = handlers.count == 1 ? handlers[0] : .unknown(form: "other")
    }
}
