/// The Deployment controller of the simulated world: replica counts, rolling updates, pod life cycles.
extension WorldState {
    /// Sets the replica count of Service `service` and reconciles.
    @discardableResult
    mutating func scale(_ service: Int, to replicas: Int) -> WorldAction {
        let previous = self.services[service].replicas
        self.services[service].replicas = max(replicas, 0)
        let action = self.log(.scale, service, detail: "\(previous) -> \(self.services[service].replicas)")
        self.reconcile(service)
        return action
    }

    /// Starts a rolling update of Service `service` (a new pod-template hash) and reconciles.
    @discardableResult
    mutating func roll(_ service: Int) -> WorldAction {
        self.services[service].revision = self.templateHash()
        let action = self.log(.roll, service, detail: self.services[service].revision)
        self.reconcile(service)
        return action
    }

    /// One action of the churn loop: scale up or down within the replica range, or roll.
    mutating func churn(_ service: Int) {
        enum Choice {
            case scaleUp
            case scaleDown
            case roll
        }
        let range = self.settings.replicas
        let replicas = self.services[service].replicas
        var choices: [Choice] = [.roll]
        if replicas < range.upperBound {
            choices += [.scaleUp, .scaleUp]
        }
        if replicas > range.lowerBound {
            choices += [.scaleDown, .scaleDown]
        }
        switch choices.randomElement(using: &self.random) ?? .roll {
        case .scaleUp:
            self.scale(service, to: min(range.upperBound, replicas + Int.random(in: 1...2, using: &self.random)))
        case .scaleDown:
            self.scale(service, to: max(range.lowerBound, replicas - Int.random(in: 1...2, using: &self.random)))
        case .roll:
            self.roll(service)
        }
    }

    /// Brings the pods of Service `service` towards its Deployment's spec, like a Deployment with the
    /// `RollingUpdate` strategy `maxSurge: 1, maxUnavailable: 0`, then writes the changed slices.
    mutating func reconcile(_ service: Int) {
        for _ in 0..<256 {
            guard self.reconcileStep(service) else { break }
        }
        self.flush(service)
    }

    /// Creates or terminates one pod if the spec calls for it; returns whether it did.
    private mutating func reconcileStep(_ service: Int) -> Bool {
        let model = self.services[service]
        let live = model.livePods
        let current = live.filter { $0.revision == model.revision }
        let old = live.filter { $0.revision != model.revision }
        let replicas = model.replicas
        guard !old.isEmpty else {
            if live.count < replicas {
                return self.createPod(in: service, started: false)
            }
            if live.count > replicas, let victim = Self.scaleDownVictim(live) {
                self.terminate(victim.name, in: service)
                return true
            }
            return false
        }
        // A rolling update: old pods that are not ready go first, then one per extra ready pod.
        let readyCount = live.count { $0.ready }
        if live.count > replicas, let victim = old.last(where: { !$0.ready }) {
            self.terminate(victim.name, in: service)
            return true
        }
        if live.count > replicas + 1 || readyCount > replicas, let victim = Self.scaleDownVictim(old) {
            self.terminate(victim.name, in: service)
            return true
        }
        if live.count < replicas + 1, current.count < replicas {
            return self.createPod(in: service, started: false)
        }
        return false
    }

    /// The pod a ReplicaSet scales down first: not ready before ready, then the newest.
    private static func scaleDownVictim(_ pods: [SimulatedPod]) -> SimulatedPod? {
        pods.max { lhs, rhs in
            lhs.ready != rhs.ready ? lhs.ready : lhs.creationIndex < rhs.creationIndex
        }
    }

    /// Creates a pod of the current revision with a new IP and adds it (not ready) to a slice with room. A pod
    /// created `started` is ready at once (initial state); otherwise its start-up is scheduled. Returns `false`
    /// when the Service's IP block is exhausted.
    @discardableResult
    mutating func createPod(in service: Int, started: Bool) -> Bool {
        guard let address = self.allocateAddress(service) else { return false }
        let model = self.services[service]
        var name = ""
        repeat {
            name = "\(model.name)-\(model.revision)-\(self.randomSuffix(length: 5))"
        } while model.pods[name] != nil
        self.ensureReplicaSet(service)
        var pod = SimulatedPod(
            name: name,
            uid: self.settings.pods ? self.uid("pod", name) : "",
            address: address,
            revision: model.revision,
            nodeName: self.settings.nodeNames.randomElement(using: &self.random) ?? "node-a",
            creationIndex: self.podsCreated
        )
        pod.started = started
        self.podsCreated += 1
        self.statistics.podsCreated += 1
        self.services[service].pods[name] = pod
        self.writePod(name, in: service)
        let slice = self.sliceWithRoom(service)
        self.services[service].slices[slice].pods.append(name)
        self.services[service].dirtySlices.insert(self.services[service].slices[slice].name)
        self.log(.podCreated, service, pod: pod)
        if !started {
            self.schedule(.podStarted(service: service, pod: name), after: self.draw(self.settings.startupDelay))
        }
        return true
    }

    /// The next unused IP of Service `service`, never reused in a run: `10.<index + 1>.<n / 254>.<n % 254 + 1>` for
    /// up to 254 Services; with more (scale benchmarks), 1024 addresses per Service packed into 10.0.0.0/8.
    private mutating func allocateAddress(_ service: Int) -> String? {
        let number = self.services[service].addressesAllocated
        if self.settings.services > 254 {
            guard number < 1024 else { return nil }
            self.services[service].addressesAllocated += 1
            let value = service * 1024 + number
            return "10.\((value >> 16) & 255).\((value >> 8) & 255).\(value & 255)"
        }
        guard number < 254 * 256 else { return nil }
        self.services[service].addressesAllocated += 1
        return "10.\(service + 1).\(number / 254).\(number % 254 + 1)"
    }

    mutating func podStarted(_ service: Int, _ name: String) {
        guard var pod = self.services[service].pods[name], !pod.terminating, !pod.started else { return }
        pod.started = true
        self.services[service].pods[name] = pod
        self.writePod(name, in: service)
        self.services[service].markSlicesDirty(containing: name)
        if pod.ready {
            self.log(.podReady, service, pod: pod)
        }
        self.reconcile(service)
    }

    /// Starts terminating pod `name`: `ready: false`, `serving` while it passes its probe, `terminating: true`; it
    /// leaves its slice after the termination period. With pods, the pod is deleted gracefully instead
    /// (``deleteGracefully(_:in:)``).
    mutating func terminate(_ name: String, in service: Int) {
        if self.settings.pods {
            self.deleteGracefully(name, in: service)
            return
        }
        guard var pod = self.services[service].pods[name], !pod.terminating else { return }
        pod.terminating = true
        pod.endpointTerminating = true
        self.services[service].pods[name] = pod
        self.services[service].markSlicesDirty(containing: name)
        self.log(.podTerminating, service, pod: pod)
        self.schedule(.podDeleted(service: service, pod: name), after: self.settings.terminationPeriod)
    }

    mutating func deletePod(_ service: Int, _ name: String) {
        guard let pod = self.services[service].pods.removeValue(forKey: name) else { return }
        self.services[service].markSlicesDirty(containing: name)
        for index in self.services[service].slices.indices {
            self.services[service].slices[index].pods.removeAll { $0 == name }
        }
        self.log(.podDeleted, service, pod: pod)
        self.flush(service)
    }

    /// Fails or recovers the readiness probe of a live, started pod (marking its slices changed, not writing
    /// them). Returns whether anything changed.
    @discardableResult
    mutating func setProbeFailed(_ failed: Bool, _ service: Int, _ name: String) -> Bool {
        guard var pod = self.services[service].pods[name], pod.started, !pod.terminating, pod.probeFailed != failed
        else { return false }
        pod.probeFailed = failed
        self.services[service].pods[name] = pod
        self.writePod(name, in: service)
        self.services[service].markSlicesDirty(containing: name)
        self.log(failed ? .podNotReady : .podReady, service, pod: pod)
        return true
    }
}
