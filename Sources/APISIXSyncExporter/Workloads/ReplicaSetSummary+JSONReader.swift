import Foundation

extension ReplicaSetSummary {
    /// Reads a ReplicaSet: `metadata.name`, `namespace` (both required), `resourceVersion` and the controlling owner
    /// from `ownerReferences`; the spec (a whole pod template) and status are skipped.
    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        var name: String?
        var namespace: String?
        var resourceVersion: String?
        var owner: OwnerReference?
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            guard key == "metadata" else { return }
            try reader.readObject { reader, field throws(JSONReader.Failure) in
                switch field {
                case "name": name = try reader.readRequiredText("name")
                case "namespace": namespace = try reader.readRequiredText("namespace")
                case "resourceVersion": resourceVersion = try reader.readOptionalText()
                case "ownerReferences": owner = try OwnerReference.readController(&reader)
                default: try reader.skipValue()
                }
            }
        }
        guard let name, let namespace else { throw reader.failure("ReplicaSet without name or namespace") }
        self.init(namespace: namespace, name: name, resourceVersion: resourceVersion, owner: owner)
    }

    /// Decodes one ReplicaSet document.
    public static func decode(_ data: Data) throws -> ReplicaSetSummary {
        try JSONReader.read(data) { reader throws(JSONReader.Failure) in
            let replicaSet = try ReplicaSetSummary(reading: &reader)
            try reader.expectEnd()
            return replicaSet
        }
    }
}
