import Foundation

/// Encodes the fake API server's objects in the `discovery.k8s.io/v1` wire format, field by field in the order
/// the API server writes them.
enum KubernetesWire {
    /// The API group/version of EndpointSlices.
    static let apiVersion = "discovery.k8s.io/v1"
    /// The kind of a single object.
    static let kind = "EndpointSlice"
    /// The kind of a list.
    static let listKind = "EndpointSliceList"
    /// Go's `encoding/json` escaping.
    static let escaping = JSONEscaping.go

    /// The object for `stored`. List items carry no `kind`/`apiVersion` (`includeTypeMeta: false`), as in real
    /// list responses; single GETs and watch events do.
    static func endpointSlice(_ stored: StoredEndpointSlice, includeTypeMeta: Bool) -> JSONValue {
        let slice = stored.slice
        var fields: [(String, JSONValue)] = []
        if includeTypeMeta {
            fields.append(("kind", .string(kind)))
            fields.append(("apiVersion", .string(apiVersion)))
        }
        fields.append(("metadata", metadata(stored)))
        fields.append(("addressType", .string(slice.addressType.rawValue)))
        fields.append(
            (
                "endpoints",
                slice.endpoints.map { .array($0.map { endpoint($0, namespace: slice.namespace) }) }
                    ?? .null
            )
        )
        fields.append(("ports", slice.ports.map { .array($0.map(port)) } ?? .null))
        return .object(fields)
    }

    /// The `BOOKMARK` object. `initialEventsEnd` adds the `k8s.io/initial-events-end` annotation that ends the
    /// initial events of a `sendInitialEvents=true` watch. `goZeroValues` adds the non-omitempty fields of an empty
    /// Go `EndpointSlice` (`"addressType":"","endpoints":null,"ports":null`).
    static func bookmark(resourceVersion: Int, initialEventsEnd: Bool, goZeroValues: Bool) -> JSONValue {
        var metadata: [(String, JSONValue)] = [("resourceVersion", .string(String(resourceVersion)))]
        if initialEventsEnd {
            metadata.append(("annotations", .object([("k8s.io/initial-events-end", .string("true"))])))
        }
        var fields: [(String, JSONValue)] = [
            ("kind", .string(kind)),
            ("apiVersion", .string(apiVersion)),
            ("metadata", .object(metadata)),
        ]
        if goZeroValues {
            fields += [("addressType", .string("")), ("endpoints", .null), ("ports", .null)]
        }
        return .object(fields)
    }

    /// One watch event line: `{"type":…,"object":…}` followed by `\n`.
    static func eventLine(type: String, object: JSONValue) -> [UInt8] {
        var line = JSONValue.object([("type", .string(type)), ("object", object)]).serialized(escaping: escaping)
        line.append(UInt8(ascii: "\n"))
        return line
    }

    /// The `EndpointSliceList` document.
    static func list(
        items: [JSONValue],
        resourceVersion: Int,
        continueToken: String?,
        remainingItemCount: Int?
    ) -> JSONValue {
        .object([
            ("kind", .string(listKind)),
            ("apiVersion", .string(apiVersion)),
            (
                "metadata",
                .object(omittingNil: [
                    ("resourceVersion", .string(String(resourceVersion))),
                    ("continue", continueToken.map { .string($0) }),
                    ("remainingItemCount", remainingItemCount.map { .int($0) }),
                ])
            ),
            ("items", .array(items)),
        ])
    }

    /// The `metadata` of `stored`, as in the object and in a table row's `PartialObjectMetadata`.
    static func metadata(_ stored: StoredEndpointSlice) -> JSONValue {
        let slice = stored.slice
        var fields: [(String, JSONValue)] = [
            ("name", .string(slice.name)),
            ("namespace", .string(slice.namespace)),
            ("uid", .string(stored.uid)),
            ("resourceVersion", .string(String(stored.resourceVersion))),
            ("generation", .int(stored.generation)),
            ("creationTimestamp", .string(stored.creationTimestamp)),
            ("labels", .stringMap(slice.effectiveLabels)),
        ]
        if !slice.annotations.isEmpty {
            fields.append(("annotations", .stringMap(slice.annotations)))
        }
        if let serviceName = slice.serviceName {
            fields.append(
                (
                    "ownerReferences",
                    .array([
                        .object([
                            ("apiVersion", .string("v1")),
                            ("kind", .string("Service")),
                            ("name", .string(serviceName)),
                            ("uid", .string(stableUID("service/\(slice.namespace)/\(serviceName)"))),
                            ("controller", .bool(true)),
                            ("blockOwnerDeletion", .bool(true)),
                        ])
                    ])
                )
            )
        }
        return .object(fields)
    }

    private static func endpoint(_ endpoint: FakeEndpoint, namespace: String) -> JSONValue {
        .object(omittingNil: [
            ("addresses", .array(endpoint.addresses.map { .string($0) })),
            (
                "conditions",
                .object(omittingNil: [
                    ("ready", endpoint.ready.map { .bool($0) }),
                    ("serving", endpoint.serving.map { .bool($0) }),
                    ("terminating", endpoint.terminating.map { .bool($0) }),
                ])
            ),
            (
                "targetRef",
                endpoint.podName.map { podName in
                    .object([
                        ("kind", .string("Pod")),
                        ("namespace", .string(namespace)),
                        ("name", .string(podName)),
                        ("uid", .string(stableUID("pod/\(namespace)/\(podName)"))),
                    ])
                }
            ),
            ("nodeName", endpoint.nodeName.map { .string($0) }),
            ("zone", endpoint.zone.map { .string($0) }),
        ])
    }

    private static func port(_ port: FakeEndpointPort) -> JSONValue {
        .object(omittingNil: [
            ("name", port.name.map { .string($0) }),
            ("protocol", .string(port.protocol)),
            ("port", port.port.map { .int($0) }),
            ("appProtocol", port.appProtocol.map { .string($0) }),
        ])
    }

    /// A UUID-formatted identifier derived from `seed` (FNV-1a), so that owner and target references are stable.
    static func stableUID(_ seed: String) -> String {
        var high: UInt64 = 0xcbf2_9ce4_8422_2325
        var low: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in seed.utf8 {
            high = (high ^ UInt64(byte)) &* 0x100_0000_01b3
            low = (low ^ UInt64(byte)) &* 0x100_0000_01b3 &+ high
        }
        let hex = String(format: "%016llx%016llx", high, low)
        let characters = Array(hex)
        let groups = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(characters[$0]) }
        return groups.joined(separator: "-")
    }
}
