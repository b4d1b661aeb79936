import Foundation

/// Encodes EndpointSlices as a `meta.k8s.io` `Table`, the server-side printing `kubectl get` asks for, with the
/// columns of the API server's EndpointSlice printer: NAME, ADDRESSTYPE, PORTS, ENDPOINTS, AGE. Each row carries
/// the object's metadata as `PartialObjectMetadata` (kubectl reads the namespace from it).
enum KubernetesTable {
    private static let columns: [(name: String, format: String, description: String)] = [
        (
            "Name", "name",
            "Name must be unique within a namespace. Is required when creating resources, although some resources "
                + "may allow a client to request the generation of an appropriate name automatically."
        ),
        ("AddressType", "", "addressType specifies the type of address carried by this EndpointSlice."),
        ("Ports", "", "ports specifies the list of network ports exposed by each endpoint in this slice."),
        ("Endpoints", "", "endpoints is a list of unique endpoints in this slice."),
        ("Age", "", "CreationTimestamp is a timestamp representing the server time when this object was created."),
    ]

    /// A table of `items` (a list response).
    static func list(
        _ items: [StoredEndpointSlice],
        version: String,
        resourceVersion: Int,
        continueToken: String?,
        remainingItemCount: Int?,
        now: Date = Date()
    ) -> JSONValue {
        self.table(
            items,
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
        _ stored: StoredEndpointSlice,
        version: String,
        includeColumns: Bool,
        now: Date = Date()
    ) -> JSONValue {
        self.table(
            [stored],
            version: version,
            metadata: .object([("resourceVersion", .string(String(stored.resourceVersion)))]),
            includeColumns: includeColumns,
            now: now
        )
    }

    private static func table(
        _ items: [StoredEndpointSlice],
        version: String,
        metadata: JSONValue,
        includeColumns: Bool,
        now: Date
    ) -> JSONValue {
        let apiVersion = "meta.k8s.io/\(version)"
        let columns: JSONValue =
            includeColumns
            ? .array(
                self.columns.map { column in
                    .object([
                        ("name", .string(column.name)),
                        ("type", .string("string")),
                        ("format", .string(column.format)),
                        ("description", .string(column.description)),
                        ("priority", .int(0)),
                    ])
                }
            )
            : .null
        let rows = items.map { stored in
            JSONValue.object([
                ("cells", .array(self.cells(stored, now: now).map { .string($0) })),
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

    /// The cells of one row, formatted like the API server's EndpointSlice printer.
    static func cells(_ stored: StoredEndpointSlice, now: Date) -> [String] {
        let slice = stored.slice
        let ports = (slice.ports ?? []).map { port in
            port.port.map(String.init) ?? port.name ?? "*"
        }
        let addresses = (slice.endpoints ?? []).flatMap(\.addresses)
        var age = "<unknown>"
        if let created = try? Date(stored.creationTimestamp, strategy: .iso8601) {
            age = HumanDuration.format(seconds: now.timeIntervalSince(created))
        }
        return [
            slice.name,
            slice.addressType.rawValue,
            self.listWithMore(ports),
            self.listWithMore(addresses),
            age,
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
