/// One endpoint of a ``FakeEndpointSlice``.
public struct FakeEndpoint: Sendable, Hashable {
    /// The endpoint's addresses. The EndpointSlice controller always writes exactly one.
    public var addresses: [String]
    /// `conditions.ready`; `nil` omits the field (which readers must treat as `true`).
    public var ready: Bool?
    /// `conditions.serving`; `nil` omits the field (which readers must treat as `true`).
    public var serving: Bool?
    /// `conditions.terminating`; `nil` omits the field (which readers must treat as `false`).
    public var terminating: Bool?
    /// The name of the Pod behind the endpoint, encoded as a `targetRef` of kind Pod in the slice's namespace.
    /// `nil` omits `targetRef`.
    public var podName: String?
    /// The `targetRef.uid` of the Pod; `nil` derives a stable one from the namespace and ``podName``.
    public var podUID: String?
    /// `nodeName`; `nil` omits the field.
    public var nodeName: String?
    /// `zone`; `nil` omits the field.
    public var zone: String?

    /// Creates an endpoint.
    ///
    /// - Parameters:
    ///   - addresses: The endpoint's addresses.
    ///   - ready: `conditions.ready`, or `nil` to omit it.
    ///   - serving: `conditions.serving`, or `nil` to omit it.
    ///   - terminating: `conditions.terminating`, or `nil` to omit it.
    ///   - podName: The target Pod's name, or `nil` to omit `targetRef`.
    ///   - nodeName: The node name, or `nil` to omit it.
    ///   - zone: The zone, or `nil` to omit it.
    ///   - podUID: The target Pod's uid, or `nil` for one derived from its name.
    public init(
        addresses: [String],
        ready: Bool? = true,
        serving: Bool? = true,
        terminating: Bool? = false,
        podName: String? = nil,
        nodeName: String? = nil,
        zone: String? = nil,
        podUID: String? = nil
    ) {
        self.addresses = addresses
        self.ready = ready
        self.serving = serving
        self.terminating = terminating
        self.podName = podName
        self.nodeName = nodeName
        self.zone = zone
        self.podUID = podUID
    }

    /// An endpoint of a running, ready Pod, as the EndpointSlice controller writes it.
    public static func ready(_ address: String, podName: String? = nil, nodeName: String? = nil) -> FakeEndpoint {
        FakeEndpoint(addresses: [address], podName: podName, nodeName: nodeName)
    }

    /// An endpoint of a Pod that is shutting down but still passes its readiness probe (during a preStop sleep):
    /// `ready: false, serving: true, terminating: true`.
    public static func terminating(_ address: String, podName: String? = nil, nodeName: String? = nil) -> FakeEndpoint {
        FakeEndpoint(
            addresses: [address],
            ready: false,
            serving: true,
            terminating: true,
            podName: podName,
            nodeName: nodeName
        )
    }
}
