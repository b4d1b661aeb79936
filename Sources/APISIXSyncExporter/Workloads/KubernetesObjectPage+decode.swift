import Foundation

extension KubernetesObjectPage {
    /// Decodes a list page, reading each of `items` (an array or `null`) with `item`: `metadata` is required,
    /// `metadata.resourceVersion` and `metadata.continue` are optional, unknown fields are skipped.
    static func decode(
        _ data: Data,
        item: (inout JSONReader) throws(JSONReader.Failure) -> Object
    ) throws(JSONReader.Failure) -> KubernetesObjectPage<Object> {
        try JSONReader.read(data) { reader throws(JSONReader.Failure) in
            var metadata = false
            var resourceVersion: String?
            var continueToken: String?
            var items: [Object] = []
            try reader.readObject { reader, key throws(JSONReader.Failure) in
                switch key {
                case "metadata":
                    try reader.readObject { reader, field throws(JSONReader.Failure) in
                        switch field {
                        case "resourceVersion": resourceVersion = try reader.readOptionalText()
                        case "continue": continueToken = try reader.readOptionalText()
                        default: try reader.skipValue()
                        }
                    }
                    metadata = true
                case "items":
                    items = []
                    try reader.readOptionalArray { reader throws(JSONReader.Failure) in
                        items.append(try item(&reader))
                    }
                default: try reader.skipValue()
                }
            }
            try reader.expectEnd()
            guard metadata else { throw reader.failure("list without metadata") }
            return KubernetesObjectPage(items: items, resourceVersion: resourceVersion, continueToken: continueToken)
        }
    }
}

extension KubernetesObjectPage where Object == PodSummary {
    /// Decodes a page of a Pod list.
    public static func decode(_ data: Data) throws -> KubernetesObjectPage<PodSummary> {
        try decode(data) { reader throws(JSONReader.Failure) in try PodSummary(reading: &reader) }
    }
}

extension KubernetesObjectPage where Object == ReplicaSetSummary {
    /// Decodes a page of a ReplicaSet list.
    public static func decode(_ data: Data) throws -> KubernetesObjectPage<ReplicaSetSummary> {
        try decode(data) { reader throws(JSONReader.Failure) in try ReplicaSetSummary(reading: &reader) }
    }
}
