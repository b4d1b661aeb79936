/// The `v1` Pod wire format.
extension KubernetesWire {
    /// The Pod object for `pod` stored as `stored`.
    static func pod(_ pod: FakePod, stored: StoredKubernetesObject, includeTypeMeta: Bool) -> JSONValue {
        var fields: [(String, JSONValue)] = []
        if includeTypeMeta {
            fields.append(("kind", .string(KubernetesResource.pods.kind)))
            fields.append(("apiVersion", .string(KubernetesResource.pods.apiVersion)))
        }
        fields.append(("metadata", self.podMetadata(pod, stored: stored)))
        fields.append(
            (
                "spec",
                .object(omittingNil: [
                    ("containers", .array(pod.containers.map(self.container))),
                    ("restartPolicy", .string("Always")),
                    ("terminationGracePeriodSeconds", .int(pod.terminationGracePeriodSeconds)),
                    ("dnsPolicy", .string("ClusterFirst")),
                    ("serviceAccountName", .string("default")),
                    ("nodeName", pod.nodeName.map { .string($0) }),
                    ("schedulerName", .string("default-scheduler")),
                ])
            )
        )
        fields.append(("status", self.podStatus(pod, since: stored.creationTimestamp)))
        return .object(fields)
    }

    /// The `metadata` of a pod.
    static func podMetadata(_ pod: FakePod, stored: StoredKubernetesObject) -> JSONValue {
        var generateName: JSONValue?
        if pod.owner != nil, let dash = pod.name.lastIndex(of: "-") {
            generateName = .string(String(pod.name[...dash]))
        }
        return .object(omittingNil: [
            ("name", .string(pod.name)),
            ("generateName", generateName),
            ("namespace", .string(pod.namespace)),
            ("uid", .string(stored.uid)),
            ("resourceVersion", .string(String(stored.resourceVersion))),
            ("creationTimestamp", .string(stored.creationTimestamp)),
            ("deletionTimestamp", pod.deletionTimestamp.map { .string($0) }),
            ("deletionGracePeriodSeconds", pod.deletionGracePeriodSeconds.map { .int($0) }),
            ("labels", pod.labels.isEmpty ? nil : .stringMap(pod.labels)),
            ("ownerReferences", pod.owner.map(self.ownerReferences)),
        ])
    }

    /// A container of a pod or pod template.
    static func container(_ container: FakeContainer) -> JSONValue {
        .object(omittingNil: [
            ("name", .string(container.name)),
            ("image", .string(container.image)),
            (
                "ports",
                container.ports.isEmpty
                    ? nil
                    : .array(
                        container.ports.map { port in
                            .object(omittingNil: [
                                ("name", port.name.map { .string($0) }),
                                ("containerPort", .int(port.containerPort)),
                                ("protocol", .string(port.protocol)),
                            ])
                        }
                    )
            ),
            (
                "env",
                container.env.isEmpty
                    ? nil
                    : .array(container.env.map { .object([("name", .string($0.name)), ("value", .string($0.value))]) })
            ),
            ("resources", .object([])),
            ("lifecycle", container.preStop.map { .object([("preStop", self.preStop($0))]) }),
            ("terminationMessagePath", .string("/dev/termination-log")),
            ("terminationMessagePolicy", .string("File")),
            ("imagePullPolicy", .string("IfNotPresent")),
        ])
    }

    /// A `LifecycleHandler`.
    static func preStop(_ handler: FakePreStop) -> JSONValue {
        switch handler {
        case .sleep(let seconds):
            return .object([("sleep", .object([("seconds", .int(seconds))]))])
        case .exec(let command):
            return .object([("exec", .object([("command", .array(command.map { .string($0) }))]))])
        case .httpGet(let path, let port):
            return .object([
                ("httpGet", .object([("path", .string(path)), ("port", .int(port)), ("scheme", .string("HTTP"))]))
            ])
        }
    }

    private static func podStatus(_ pod: FakePod, since time: String) -> JSONValue {
        let ready: JSONValue = .string(pod.ready ? "True" : "False")
        let conditions: [JSONValue] = [
            ("PodReadyToStartContainers", JSONValue.string("True")), ("Initialized", .string("True")),
            ("Ready", ready), ("ContainersReady", ready), ("PodScheduled", .string("True")),
        ].map { type, status in
            .object([
                ("type", .string(type)),
                ("status", status),
                ("lastProbeTime", .null),
                ("lastTransitionTime", .string(time)),
            ])
        }
        let started = pod.phase == .running
        return .object(omittingNil: [
            ("phase", .string(pod.phase.rawValue)),
            ("conditions", .array(conditions)),
            ("podIP", pod.podIP.map { .string($0) }),
            ("podIPs", pod.podIP.map { .array([.object([("ip", .string($0))])]) }),
            ("startTime", .string(time)),
            (
                "containerStatuses",
                .array(
                    pod.containers.map { container in
                        .object([
                            ("name", .string(container.name)),
                            ("ready", .bool(pod.ready)),
                            ("restartCount", .int(0)),
                            ("image", .string(container.image)),
                            ("started", .bool(started)),
                        ])
                    }
                )
            ),
        ])
    }
}
