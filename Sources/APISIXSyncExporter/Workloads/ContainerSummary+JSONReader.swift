extension ContainerSummary {
    /// Reads one `spec.containers[]` entry: `name` (required), `ports[].containerPort` and `lifecycle.preStop`;
    /// everything else (image, env, volume mounts, probes) is skipped without being kept.
    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        var name: String?
        var ports: [Int] = []
        var preStop = PreStopAction.none
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            switch key {
            case "name": name = try reader.readRequiredText("name")
            case "ports":
                ports = []
                try reader.readOptionalArray { reader throws(JSONReader.Failure) in
                    var port: Int?
                    try reader.readObject { reader, field throws(JSONReader.Failure) in
                        if field == "containerPort" {
                            port = try reader.readOptionalInteger()
                        } else {
                            try reader.skipValue()
                        }
                    }
                    guard let port else { throw reader.failure("container port without containerPort") }
                    ports.append(port)
                }
            case "lifecycle":
                preStop = .none
                if try reader.readNull() { return }
                try reader.readObject { reader, field throws(JSONReader.Failure) in
                    if field == "preStop" {
                        preStop = try PreStopAction(reading: &reader)
                    } else {
                        try reader.skipValue()
                    }
                }
            default: try reader.skipValue()
            }
        }
        guard let name else { throw reader.failure("container without name") }
        self.init(name: name, ports: ports, preStop: preStop)
    }
}
