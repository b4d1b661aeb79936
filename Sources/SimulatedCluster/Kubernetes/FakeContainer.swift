/// A container of a ``FakePod`` (or of a ``FakeReplicaSet``'s pod template).
public struct FakeContainer: Sendable, Hashable {
    /// A container port: `containerPort`, `name` and `protocol`.
    public struct Port: Sendable, Hashable {
        /// `containerPort`.
        public var containerPort: Int
        /// `name`; `nil` omits it.
        public var name: String?
        /// `protocol`, `TCP` by default.
        public var `protocol`: String

        /// Creates a port.
        public init(containerPort: Int, name: String? = nil, protocol: String = "TCP") {
            self.containerPort = containerPort
            self.name = name
            self.protocol = `protocol`
        }
    }

    /// An environment variable with a literal value.
    public struct EnvironmentVariable: Sendable, Hashable {
        /// `name`.
        public var name: String
        /// `value`.
        public var value: String

        /// Creates a variable.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// `name`.
    public var name: String
    /// `image`.
    public var image: String
    /// `ports`; empty omits the field.
    public var ports: [Port]
    /// `env`; empty omits the field.
    public var env: [EnvironmentVariable]
    /// `lifecycle.preStop`; `nil` omits `lifecycle`.
    public var preStop: FakePreStop?

    /// Creates a container.
    public init(
        name: String,
        image: String,
        ports: [Port] = [],
        env: [EnvironmentVariable] = [],
        preStop: FakePreStop? = nil
    ) {
        self.name = name
        self.image = image
        self.ports = ports
        self.env = env
        self.preStop = preStop
    }
}
