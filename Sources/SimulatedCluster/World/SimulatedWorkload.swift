/// How the pods of one simulated Deployment shut down: their container's preStop handler, their
/// `terminationGracePeriodSeconds`, and how long they really take, so that a deleted pod stays (terminating) in
/// its EndpointSlice as long as it would in a cluster.
public struct SimulatedWorkload: Sendable, Hashable, CustomStringConvertible {
    /// The container image, e.g. `nginx:1.27`.
    public var image: String
    /// The container's `lifecycle.preStop`, or `nil` for none.
    public var preStop: FakePreStop?
    /// `spec.terminationGracePeriodSeconds`: the kubelet kills the container at the latest this long after the
    /// deletion.
    public var terminationGracePeriodSeconds: Int
    /// The container's literal environment variables (e.g. a `DB_PASSWORD`, to check that nothing leaks it).
    public var env: [FakeContainer.EnvironmentVariable]
    /// How long an ``FakePreStop/httpGet(path:port:)`` handler really runs, in seconds (the spec cannot tell).
    public var httpGetSeconds: Double
    /// How long the container takes to exit after its preStop returned (after SIGTERM), in seconds.
    public var exitSeconds: Double

    /// Creates a workload.
    ///
    /// - Parameters:
    ///   - image: The image, `nginx:1.27` by default.
    ///   - preStop: The preStop handler, none by default.
    ///   - terminationGracePeriodSeconds: The grace period, 30 s by default.
    ///   - env: Environment variables, none by default.
    ///   - httpGetSeconds: The real duration of an `httpGet` preStop, 2 s by default.
    ///   - exitSeconds: The exit time after the preStop, 0.5 s by default.
    public init(
        image: String = "nginx:1.27",
        preStop: FakePreStop? = nil,
        terminationGracePeriodSeconds: Int = 30,
        env: [FakeContainer.EnvironmentVariable] = [],
        httpGetSeconds: Double = 2,
        exitSeconds: Double = 0.5
    ) {
        self.image = image
        self.preStop = preStop
        self.terminationGracePeriodSeconds = terminationGracePeriodSeconds
        self.env = env
        self.httpGetSeconds = httpGetSeconds
        self.exitSeconds = exitSeconds
    }

    /// Seconds from the deletion until the pod is gone: the preStop's run time plus the exit time, cut at the
    /// grace period.
    public var shutdownSeconds: Double {
        var preStopSeconds = 0.0
        switch self.preStop {
        case .httpGet:
            preStopSeconds = self.httpGetSeconds
        case .some(let handler):
            preStopSeconds = handler.declaredSeconds ?? 0
        case nil:
            break
        }
        return max(
            min(preStopSeconds + max(self.exitSeconds, 0), Double(max(self.terminationGracePeriodSeconds, 0))),
            0
        )
    }

    /// E.g. `preStop sleep 5s, grace 30s` or `no preStop, grace 30s`.
    public var description: String {
        let preStop: String
        switch self.preStop {
        case .sleep(let seconds): preStop = "preStop sleep \(seconds)s"
        case .exec(let command): preStop = "preStop exec \"\(command.last ?? "")\""
        case .httpGet(let path, let port): preStop = "preStop httpGet :\(port)\(path)"
        case nil: preStop = "no preStop"
        }
        return "\(preStop), grace \(self.terminationGracePeriodSeconds)s"
    }

    /// The environment variable that looks like a secret every demo pod carries: `DB_PASSWORD=demo-s3cr3t`.
    public static let demoSecret = FakeContainer.EnvironmentVariable(name: "DB_PASSWORD", value: "demo-s3cr3t")

    /// A workload without preStop (grace 30 s).
    public static let plain = SimulatedWorkload(env: [demoSecret])

    /// The default variety, assigned to Services by index (cycling): `sleep: {seconds: 5}`; exec
    /// `sleep 5 && nginx -s quit`; `httpGet /shutdown` (2 s, unknown from the spec); none; `sleep 40` with a
    /// 30 s grace period (cut at the grace); and `sleep: {seconds: 2}`, shorter than a typical end-to-end p99.
    /// Every pod carries ``demoSecret``.
    public static let variety: [SimulatedWorkload] = [
        SimulatedWorkload(preStop: .sleep(seconds: 5), env: [demoSecret]),
        SimulatedWorkload(preStop: .exec(command: ["/bin/sh", "-c", "sleep 5 && nginx -s quit"]), env: [demoSecret]),
        SimulatedWorkload(preStop: .httpGet(path: "/shutdown", port: 8080), env: [demoSecret]),
        SimulatedWorkload(env: [demoSecret]),
        SimulatedWorkload(preStop: .sleep(seconds: 40), terminationGracePeriodSeconds: 30, env: [demoSecret]),
        SimulatedWorkload(preStop: .sleep(seconds: 2), env: [demoSecret]),
    ]
}
