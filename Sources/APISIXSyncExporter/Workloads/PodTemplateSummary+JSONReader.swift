extension PodTemplateSummary {
    /// Reads a pod spec object: `containers` (an array or `null`) and `terminationGracePeriodSeconds`; the rest is
    /// skipped.
    init(readingSpec reader: inout JSONReader) throws(JSONReader.Failure) {
        var containers: [ContainerSummary] = []
        var grace: Int?
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            switch key {
            case "containers":
                containers = []
                try reader.readOptionalArray { reader throws(JSONReader.Failure) in
                    containers.append(try ContainerSummary(reading: &reader))
                }
            case "terminationGracePeriodSeconds": grace = try reader.readOptionalInteger()
            default: try reader.skipValue()
            }
        }
        self.init(containers: containers, terminationGracePeriodSeconds: grace)
    }
}
