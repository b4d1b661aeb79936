import Foundation

/// Encodes the fake API server's objects in their wire format (`discovery.k8s.io/v1` EndpointSlices here, pods and
/// ReplicaSets in extensions), field by field in the order the API server writes them.
enum KubernetesWire {
    /// Go's `encoding/json` escaping.
    static let escaping = JSONEscaping.go

    /// The object for `stored`, whatever its resource. List items carry no `kind`/`apiVersion`
    /// (`includeTypeMeta: false`), as in real list responses; single GETs and watch events do.
    static func object(_ stored: StoredKubernetesObject, includeTypeMeta: Bool) -> JSONValue {
        switch stored.payload {
        case .endpointSlice(let slice):
            return self.endpointSlice(slice, stored: stored, includeTypeMeta: includeTypeMeta)
        case .pod(let pod):
            return self.pod(pod, stored: stored, includeTypeMeta: includeTypeMeta)
        case .replicaSet(let replicaSet):
            return self.replicaSet(replicaSet, stored: stored, includeTypeMeta: includeTypeMeta)
        }
    }

    /// The EndpointSlice object for `slice` stored as `stored`.
    static func endpointSlice(
        _ slice: FakeEndpointSlice,
        stored: StoredKubernetesObject,
        includeTypeMeta: Bool
    ) -> JSONValue {
        var fields: [(String, JSONValue)] = []
        if includeTypeMeta {
            fields.append(("kind", .string(KubernetesResource.endpointSlices.kind)))
            fields.append(("apiVersion", .string(KubernetesResource.endpointSlices.apiVersion)))
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

    /// The `BOOKMARK` object of a watch of `resource`. `initialEventsEnd` adds the `k8s.io/initial-events-end`
    /// annotation that ends the initial events of a `sendInitialEvents=true` watch. `goZeroValues` adds the
    /// non-omitempty fields of an empty Go `EndpointSlice` (`"addressType":"","endpoints":null,"ports":null`; slices
    /// only).
    static func bookmark(
        resource: KubernetesResource = .endpointSlices,
        resourceVersion: Int,
        initialEventsEnd: Bool,
        goZeroValues: Bool
    ) -> JSONValue {
        var metadata: [(String, JSONValue)] = [("resourceVersion", .string(String(resourceVersion)))]
        if initialEventsEnd {
            metadata.append(("annotations", .object([("k8s.io/initial-events-end", .string("true"))])))
        }
        var fields: [(String, JSONValue)] = [
            ("kind", .string(resource.kind)),
            ("apiVersion", .string(resource.apiVersion)),
            ("metadata", .object(metadata)),
        ]
        if goZeroValues, resource == .endpointSlices {
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

    /// The list document (`EndpointSliceList`, `PodList`, `ReplicaSetList`).
    static func list(
        resource: KubernetesResource = .endpointSlices,
        items: [JSONValue],
        resourceVersion: Int,
        continueToken: String?,
        remainingItemCount: Int?
    ) -> JSONValue {
        .object([
            ("kind", .string(resource.listKind)),
            ("apiVersion", .string(resource.apiVersion)),
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
    static func metadata(_ stored: StoredKubernetesObject) -> JSONValue {
        switch stored.payload {
        case .endpointSlice(let slice):
            return self.sliceMetadata(slice, stored: stored)
        case .pod(let pod):
            return self.podMetadata(pod, stored: stored)
        case .replicaSet(let replicaSet):
            return self.replicaSetMetadata(replicaSet, stored: stored)
        }
    }

    private static func sliceMetadata(_ slice: FakeEndpointSlice, stored: StoredKubernetesObject) -> JSONValue {
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
                        ("uid", .string(endpoint.podUID ?? stableUID("pod/\(namespace)/\(podName)"))),
                    ])
                }
            ),
            ("nodeName", endpoint.nodeName.map { .string($0) }),
            ("zone", endpoint.zone.map { .string($0) }),
        ])
    }

    /// An `ownerReferences` array with the one controller reference `owner`.
    static func ownerReferences(_ owner: FakeOwnerReference) -> JSONValue {
        .array([
            .object([
                ("apiVersion", .string(owner.apiVersion)),
                ("kind", .string(owner.kind)),
                ("name", .string(owner.name)),
                ("uid", .string(owner.uid)),
                ("controller", .bool(true)),
                ("blockOwnerDeletion", .bool(true)),
            ])
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
