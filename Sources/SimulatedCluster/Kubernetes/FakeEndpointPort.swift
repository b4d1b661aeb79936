/// One port of a ``FakeEndpointSlice``.
public struct FakeEndpointPort: Sendable, Hashable {
    /// The port name. The controller writes `""` for an unnamed Service port; `nil` omits the field.
    public var name: String?
    /// The (target) port number; `nil` omits the field.
    public var port: Int?
    /// The protocol, `TCP` by default.
    public var `protocol`: String
    /// `appProtocol`; `nil` omits the field.
    public var appProtocol: String?

    /// Creates a port.
    ///
    /// - Parameters:
    ///   - name: The port name, `""` for an unnamed Service port, or `nil` to omit it.
    ///   - port: The port number, or `nil` to omit it.
    ///   - protocol: The protocol, `TCP` by default.
    ///   - appProtocol: The application protocol, or `nil` to omit it.
    public init(name: String?, port: Int?, protocol: String = "TCP", appProtocol: String? = nil) {
        self.name = name
        self.port = port
        self.protocol = `protocol`
        self.appProtocol = appProtocol
    }
}
