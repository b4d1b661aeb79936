import Foundation

/// Reading Kubernetes objects with ``JSONReader``, the only decoder of these types: required fields must be present
/// and non-null, optional ones may be absent or `null`, a value of the wrong type fails, unknown fields are skipped,
/// of a key given twice the last value counts. A watch stream carries a full EndpointSlice per change; `JSONDecoder`
/// would first build a map of the whole document and allocate for every value.
extension EndpointSlice {
    /// Reads a slice; with `targetReferences` false each endpoint's `targetRef` is skipped like an unknown field
    /// (its JSON validated, nothing built): without the pod watch nothing reads it, and it was 40 % of the decode.
    init(reading reader: inout JSONReader, targetReferences: Bool = true) throws(JSONReader.Failure) {
        var metadata: Metadata?
        var addressType: String?
        var endpoints: [Endpoint] = []
        var ports: [Port] = []
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            switch key {
            case "metadata": metadata = try Metadata(reading: &reader)
            case "addressType": addressType = try reader.readOptionalText()
            // `endpoints` and `ports` have no omitempty and serialise as `null` when empty.
            case "endpoints":
                endpoints = []
                try reader.readOptionalArray { reader throws(JSONReader.Failure) in
                    endpoints.append(try Endpoint(reading: &reader, targetReference: targetReferences))
                }
            case "ports":
                ports = []
                try reader.readOptionalArray { reader throws(JSONReader.Failure) in
                    ports.append(try Port(reading: &reader))
                }
            default: try reader.skipValue()
            }
        }
        guard let metadata else { throw reader.failure("EndpointSlice without metadata") }
        self.init(metadata: metadata, addressType: addressType, endpoints: endpoints, ports: ports)
    }
}

extension EndpointSlice.Metadata {
    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        var name: String?
        var namespace: String?
        var resourceVersion: String?
        var labels: [String: String]?
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            switch key {
            case "name": name = try reader.readRequiredText("name")
            case "namespace": namespace = try reader.readRequiredText("namespace")
            case "resourceVersion": resourceVersion = try reader.readOptionalText()
            case "labels":
                if try reader.readNull() {
                    labels = nil
                    return
                }
                var map: [String: String] = [:]
                try reader.readObject { reader, label throws(JSONReader.Failure) in
                    map[label.text] = try reader.readRequiredText("labels")
                }
                labels = map
            default: try reader.skipValue()
            }
        }
        guard let name, let namespace else { throw reader.failure("metadata without name or namespace") }
        self.init(name: name, namespace: namespace, resourceVersion: resourceVersion, labels: labels)
    }
}

extension EndpointSlice.Endpoint {
    init(reading reader: inout JSONReader, targetReference readsTargetReference: Bool) throws(JSONReader.Failure) {
        var addresses: [String] = []
        var conditions: EndpointSlice.Conditions?
        var targetRef: EndpointSlice.TargetReference?
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            switch key {
            case "targetRef":
                guard readsTargetReference else {
                    try reader.skipValue()
                    return
                }
                if try reader.readNull() {
                    targetRef = nil
                    return
                }
                var reference = EndpointSlice.TargetReference(kind: nil, name: nil)
                try reader.readObject { reader, field throws(JSONReader.Failure) in
                    switch field {
                    case "kind": reference.kind = try reader.readOptionalText()
                    case "name": reference.name = try reader.readOptionalText()
                    case "namespace": reference.namespace = try reader.readOptionalText()
                    case "uid": reference.uid = try reader.readOptionalText()
                    default: try reader.skipValue()
                    }
                }
                targetRef = reference
            case "addresses":
                addresses = []
                try reader.readOptionalArray { reader throws(JSONReader.Failure) in
                    addresses.append(try reader.readRequiredText("addresses"))
                }
            case "conditions":
                if try reader.readNull() {
                    conditions = nil
                    return
                }
                var read = EndpointSlice.Conditions()
                try reader.readObject { reader, condition throws(JSONReader.Failure) in
                    switch condition {
                    case "ready": read.ready = try reader.readOptionalBool()
                    case "serving": read.serving = try reader.readOptionalBool()
                    case "terminating": read.terminating = try reader.readOptionalBool()
                    default: try reader.skipValue()
                    }
                }
                conditions = read
            default: try reader.skipValue()
            }
        }
        self.init(addresses: addresses, conditions: conditions, targetRef: targetRef)
    }
}

extension EndpointSlice.Port {
    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        var name: String?
        var port: Int?
        var protocolName: String?
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            switch key {
            case "name": name = try reader.readOptionalText()
            case "port": port = try reader.readOptionalInteger()
            case "protocol": protocolName = try reader.readOptionalText()
            default: try reader.skipValue()
            }
        }
        self.init(name: name, port: port, protocol: protocolName)
    }
}
