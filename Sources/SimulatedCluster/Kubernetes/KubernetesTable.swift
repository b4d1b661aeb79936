import Foundation

/// Encodes objects as a `meta.k8s.io` `Table`, the server-side printing `kubectl get` asks for, with the columns
/// of the API server's printers: for EndpointSlices NAME, ADDRESSTYPE, PORTS, ENDPOINTS, AGE (pods and ReplicaSets
/// in extensions). Each row carries
/// the object's metadata as `PartialObjectMetadata` (kubectl reads the namespace from it).
enum KubernetesTable {
    /// A column definition.
    struct Column: Sendable {
        let name: String
        var type = "string"
        var format = ""
        let description: String
        var priority = 0
    }

    static let nameColumn = Column(
        name: "Name",
        format: "name",
        description: "Name must be unique within a namespace. Is required when creating resources, although some "
            + "resources may allow a client to request the generation of an appropriate name automatically."
    )
    static let ageColumn = Column(
        name: "Age",
        description: "CreationTimestamp is a timestamp representing the server time when this object was created."
    )

    private static let sliceColumns: [Column] = [
        nameColumn,
        Column(
            name: "AddressType",
            description: "addressType specifies the type of address carried by this EndpointSlice."
        ),
        Column(
            name: "Ports",
            description: "ports specifies the list of network ports exposed by each endpoint in this slice."
        ),
        Column(name: "Endpoints", description: "endpoints is a list of unique endpoints in this slice."),
        ageColumn,
    ]

    /// The columns of the printer of `resource`.
    static func columns(for resource: KubernetesResource) -> [Column] {
        switch resource {
        case .endpointSlices: return self.sliceColumns
        case .pods: return self.podColumns
        case .replicaSets: return self.replicaSetColumns
        }
    }

    /// A table of `items` (a list response).
    static func list(
        _ items: [StoredKubernetesObject],
        resource: KubernetesResource = .endpointSlices,
        version: String,
        resourceVersion: Int,
        continueToken: String?,
        remainingItemCount: Int?,
        now: Date = Date()
    ) -> JSONValue {
        self.table(
            items,
            resource: resource,
            version: version,
            metadata: .object(omittingNil: [
                ("resourceVersion", .string(String(resourceVersion))),
                ("continue", continueToken.map { .string($0) }),
                ("remainingItemCount", remainingItemCount.map { .int($0) }),
            ]),
            includeColumns: true,
            now: now
        )
    }

    /// A table of one object (a get response or a watch event). Watches send the column definitions only with
    /// their first event (`"columnDefinitions": null` afterwards), as the API server does.
    static func single(
        _ stored: StoredKubernetesObject,
        version: String,
        includeColumns: Bool,
        now: Date = Date()
    ) -> JSONValue {
        self.table(
            [stored],
            resource: stored.resource,
            version: version,
            metadata: .object([("resourceVersion", .string(String(stored.resourceVersion)))]),
            includeColumns: includeColumns,
            now: now
        )
    }

    private static func table(
        _ items: [StoredKubernetesObject],
        resource: KubernetesResource,
        version: String,
        metadata: JSONValue,
        includeColumns: Bool,
        now: Date
    ) -> JSONValue {
        let apiVersion = "meta.k8s.io/\(version)"
        let columns: JSONValue =
            includeColumns
            ? .array(
                self.columns(for: resource).map { column in
                    .object([
                        ("name", .string(column.name)),
                        ("type", .string(column.type)),
                        ("format", .string(column.format)),
                        ("description", .string(column.description)),
                        ("priority", .int(column.priority)),
                    ])
                }
            )
            : .null
        let rows = items.map { stored in
            JSONValue.object([
                ("cells", .array(self.cells(stored, now: now))),
                (
                    "object",
                    .object([
                        ("kind", .string("PartialObjectMetadata")),
                        ("apiVersion", .string(apiVersion)),
                        ("metadata", KubernetesWire.metadata(stored)),
                    ])
                ),
            ])
        }
        return .object([
            ("kind", .string("Table")),
            ("apiVersion", .string(apiVersion)),
            ("metadata", metadata),
            ("columnDefinitions", columns),
            ("rows", .array(rows)),
        ])
    }

    /// The cells of one row, formatted like the API server's printer of the object's resource.
    static func cells(_ stored: StoredKubernetesObject, now: Date) -> [JSONValue] {
        switch stored.payload {
        case .endpointSlice(let slice):
            return self.sliceCells(slice, stored: stored, now: now).map { .string($0) }
        case .pod(let pod):
            return self.podCells(pod, stored: stored, now: now)
        case .replicaSet(let replicaSet):
            return self.replicaSetCells(replicaSet, stored: stored, now: now)
        }
    }

    /// The AGE cell of `stored`.
    static func age(_ stored: StoredKubernetesObject, now: Date) -> String {
        guard let created = try? Date(stored.creationTimestamp, strategy: .iso8601) else { return "<unknown>" }
        return HumanDuration.format(seconds: now.timeIntervalSince(created))
    }

    private static func sliceCells(_ slice: FakeEndpointSlice, stored: StoredKubernetesObject, now: Date) -> [String] {
        let ports = (slice.ports ?? []).map { port in
            port.port.map(String.init) ?? port.name ?? "*"
        }
        let addresses = (slice.endpoints ?? []).flatMap(\.addresses)
        return [
            slice.name,
            slice.addressType.rawValue,
            self.listWithMore(ports),
            self.listWithMore(addresses),
            self.age(stored, now: now),
        ]
    }

    /// The first three entries joined by `,`, then ` + N more...`; `<unset>` when empty.
    private static func listWithMore(_ entries: [String]) -> String {
        let shown = entries.prefix(3).joined(separator: ",")
        if entries.count > 3 {
            return "\(shown) + \(entries.count - 3) more..."
        }
        return shown.isEmpty ? "<unset>" : shown
    }
}
