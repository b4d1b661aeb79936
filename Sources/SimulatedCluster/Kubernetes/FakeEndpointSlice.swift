/// A `discovery.k8s.io/v1` EndpointSlice as scripted into ``FakeKubernetesAPI``.
///
/// The fake adds the server-owned metadata (uid, resourceVersion, generation, creationTimestamp) when the slice is
/// applied, and encodes it the way the API server does.
public struct FakeEndpointSlice: Sendable, Hashable {
    /// The `addressType` of a slice. The EndpointSlice controller only writes IPv4 and IPv6 slices.
    public enum AddressType: String, Sendable, Hashable, CaseIterable {
        case ipv4 = "IPv4"
        case ipv6 = "IPv6"
        /// Deprecated in the real API but still accepted.
        case fqdn = "FQDN"
    }

    /// The value of the `endpointslice.kubernetes.io/managed-by` label that the in-tree controller writes.
    public static let endpointSliceControllerName = "endpointslice-controller.k8s.io"

    /// The slice's namespace.
    public var namespace: String
    /// The slice's name.
    public var name: String
    /// The owning Service, written as the `kubernetes.io/service-name` label (and an owner reference).
    /// `nil` produces a slice without that label.
    public var serviceName: String?
    /// The slice's address type.
    public var addressType: AddressType
    /// The endpoints. `nil` encodes as `"endpoints": null`, which is what a slice with no endpoints looks like
    /// once it has round-tripped through etcd.
    public var endpoints: [FakeEndpoint]?
    /// The ports. `nil` encodes as `"ports": null` (a placeholder slice read back from etcd).
    public var ports: [FakeEndpointPort]?
    /// The value of the `endpointslice.kubernetes.io/managed-by` label; `nil` omits the label.
    public var managedBy: String?
    /// Additional labels, merged over the service-name and managed-by labels.
    public var labels: [String: String]
    /// Annotations, e.g. `endpoints.kubernetes.io/last-change-trigger-time`. Empty omits the field.
    public var annotations: [String: String]

    /// Creates a slice.
    ///
    /// - Parameters:
    ///   - namespace: The slice's namespace.
    ///   - name: The slice's name, e.g. `web-abc12`.
    ///   - serviceName: The owning Service, or `nil` for a slice without the `kubernetes.io/service-name` label.
    ///   - addressType: The address type, IPv4 by default.
    ///   - endpoints: The endpoints; `nil` encodes as `null`.
    ///   - ports: The ports; `nil` encodes as `null`.
    ///   - managedBy: The managed-by label value; `nil` omits the label.
    ///   - labels: Additional labels.
    ///   - annotations: Annotations.
    public init(
        namespace: String,
        name: String,
        serviceName: String?,
        addressType: AddressType = .ipv4,
        endpoints: [FakeEndpoint]? = [],
        ports: [FakeEndpointPort]? = [],
        managedBy: String? = FakeEndpointSlice.endpointSliceControllerName,
        labels: [String: String] = [:],
        annotations: [String: String] = [:]
    ) {
        self.namespace = namespace
        self.name = name
        self.serviceName = serviceName
        self.addressType = addressType
        self.endpoints = endpoints
        self.ports = ports
        self.managedBy = managedBy
        self.labels = labels
        self.annotations = annotations
    }

    /// The labels as served: managed-by and service-name, overridden by ``labels``.
    public var effectiveLabels: [String: String] {
        var result: [String: String] = [:]
        if let managedBy = self.managedBy {
            result["endpointslice.kubernetes.io/managed-by"] = managedBy
        }
        if let serviceName = self.serviceName {
            result["kubernetes.io/service-name"] = serviceName
        }
        result.merge(self.labels) { _, explicit in explicit }
        return result
    }
}
