import Foundation

extension PodSummary {
    /// Reads a Pod with ``JSONReader``, keeping only `metadata` identity, owner and deletion fields,
    /// `spec.containers[]` names, ports and preStop, `spec.terminationGracePeriodSeconds` and `status.podIP(s)`.
    /// Everything else (env, volumes, labels, annotations, init containers) is skipped and never built into a
    /// `String`: pod specs can carry secrets. `metadata.name` and `namespace` are required; a `deletionTimestamp` that
    /// is not RFC 3339 fails.
    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        var metadata: Metadata?
        var template = PodTemplateSummary()
        var ips: [String] = []
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            switch key {
            case "metadata": metadata = try Metadata(reading: &reader)
            case "spec":
                template = PodTemplateSummary()
                if try reader.readNull() { return }
                template = try PodTemplateSummary(readingSpec: &reader)
            case "status":
                ips = []
                if try reader.readNull() { return }
                ips = try Self.readIPs(&reader)
            default: try reader.skipValue()
            }
        }
        guard let metadata else { throw reader.failure("Pod without metadata") }
        self.init(
            namespace: metadata.namespace,
            name: metadata.name,
            uid: metadata.uid,
            resourceVersion: metadata.resourceVersion,
            ips: ips,
            owner: metadata.owner,
            deletionTimestamp: metadata.deletionTimestamp,
            deletionGracePeriodSeconds: metadata.deletionGracePeriodSeconds,
            template: template
        )
    }

    /// Decodes one Pod document.
    public static func decode(_ data: Data) throws -> PodSummary {
        try JSONReader.read(data) { reader throws(JSONReader.Failure) in
            let pod = try PodSummary(reading: &reader)
            try reader.expectEnd()
            return pod
        }
    }

    /// `status.podIPs[].ip`, else `status.podIP`, else none.
    private static func readIPs(_ reader: inout JSONReader) throws(JSONReader.Failure) -> [String] {
        var podIP: String?
        var podIPs: [String] = []
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            switch key {
            case "podIP": podIP = try reader.readOptionalText()
            case "podIPs":
                podIPs = []
                try reader.readOptionalArray { reader throws(JSONReader.Failure) in
                    var ip: String?
                    try reader.readObject { reader, field throws(JSONReader.Failure) in
                        if field == "ip" { ip = try reader.readRequiredText("ip") } else { try reader.skipValue() }
                    }
                    guard let ip else { throw reader.failure("podIPs entry without ip") }
                    podIPs.append(ip)
                }
            default: try reader.skipValue()
            }
        }
        if !podIPs.isEmpty { return podIPs }
        if let podIP, !podIP.isEmpty { return [podIP] }
        return []
    }

    /// The metadata fields a summary keeps.
    private struct Metadata {
        var name: String
        var namespace: String
        var uid: String?
        var resourceVersion: String?
        var owner: OwnerReference?
        var deletionTimestamp: Double?
        var deletionGracePeriodSeconds: Int?

        init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
            var name: String?
            var namespace: String?
            var uid: String?
            var resourceVersion: String?
            var owner: OwnerReference?
            var deletionTimestamp: Double?
            var deletionGracePeriodSeconds: Int?
            try reader.readObject { reader, key throws(JSONReader.Failure) in
                switch key {
                case "name": name = try reader.readRequiredText("name")
                case "namespace": namespace = try reader.readRequiredText("namespace")
                case "uid": uid = try reader.readOptionalText()
                case "resourceVersion": resourceVersion = try reader.readOptionalText()
                case "ownerReferences": owner = try OwnerReference.readController(&reader)
                case "deletionTimestamp":
                    deletionTimestamp = nil
                    guard let text = try reader.readOptionalText() else { return }
                    guard let seconds = RFC3339.unixSeconds(text) else {
                        throw reader.failure("deletionTimestamp is not an RFC 3339 time")
                    }
                    deletionTimestamp = seconds
                case "deletionGracePeriodSeconds": deletionGracePeriodSeconds = try reader.readOptionalInteger()
                default: try reader.skipValue()
                }
            }
            guard let name, let namespace else { throw reader.failure("metadata without name or namespace") }
            self.name = name
            self.namespace = namespace
            self.uid = uid
            self.resourceVersion = resourceVersion
            self.owner = owner
            self.deletionTimestamp = deletionTimestamp
            self.deletionGracePeriodSeconds = deletionGracePeriodSeconds
        }
    }
}
