/// The hard cases the accuracy benchmark scripts: reverts, rebalances and bursts.
extension WorldState {
    /// Fails the readiness probe of a random ready pod of Service `service` (one whose node, `address:containerPort`,
    /// is in `among` when given) and schedules its recovery after `delay` (``SimulatedWorld/Configuration/revertDelay``
    /// when `nil`). Returns `nil` when no such pod is ready.
    mutating func revert(_ service: Int, after delay: Double? = nil, among nodes: Set<String>? = nil) -> WorldAction? {
        let port = self.settings.containerPort
        let candidates = self.services[service].livePods.filter { pod in
            pod.ready && nodes.map { $0.contains("\(pod.address):\(port)") } != false
        }
        guard let pod = candidates.randomElement(using: &self.random) else { return nil }
        let recovery = max(delay ?? self.settings.revertDelay, 0)
        let action = self.log(.revert, service, pod: pod, detail: delay.map { "ready again after \($0) s" })
        self.setProbeFailed(true, service, pod.name)
        self.flush(service)
        self.schedule(.probeRecovered(service: service, pod: pod.name), after: recovery)
        return action
    }

    /// Moves a random ready endpoint of Service `service` into another slice (a new one when no other has room):
    /// first it is added to the other slice, then removed from its own, so the ready set never changes. Returns
    /// `nil` when no pod is ready.
    mutating func rebalance(_ service: Int) -> WorldAction? {
        let candidates = self.services[service].livePods.filter(\.ready)
        guard let pod = candidates.randomElement(using: &self.random),
            let source = self.services[service].slices.firstIndex(where: { $0.pods.contains(pod.name) })
        else { return nil }
        let sourceName = self.services[service].slices[source].name
        let capacity = self.settings.maxEndpointsPerSlice
        let target =
            self.services[service].slices.firstIndex { $0.name != sourceName && $0.pods.count < capacity }
            ?? self.createSlice(service)
        let targetName = self.services[service].slices[target].name
        let action = self.log(.rebalance, service, pod: pod, detail: "\(sourceName) -> \(targetName)")
        self.services[service].slices[target].pods.append(pod.name)
        self.services[service].dirtySlices.insert(targetName)
        self.flush(service)
        if let index = self.services[service].slices.firstIndex(where: { $0.name == sourceName }) {
            self.services[service].slices[index].pods.removeAll { $0 == pod.name }
            self.services[service].dirtySlices.insert(sourceName)
        }
        self.flush(service)
        return action
    }

    /// Starts a burst of `count` readiness changes of Service `service` within about a second: step `i` toggles
    /// the readiness probe of the `i`-th live pod (cycling); one second after the last step every pod the burst
    /// left failing recovers. Returns `nil` when `count` is not positive or no pod has started.
    mutating func burst(_ service: Int, count: Int) -> WorldAction? {
        guard count > 0, self.services[service].livePods.contains(where: \.started) else { return nil }
        let action = self.log(.burst, service, detail: "\(count) changes")
        let spacing = count > 1 ? min(0.2, 0.9 / Double(count - 1)) : 0
        self.burstStep(service, step: 0, count: count)
        for step in 1..<max(count, 1) {
            self.schedule(.burstStep(service: service, step: step, count: count), after: spacing * Double(step))
        }
        return action
    }

    mutating func burstStep(_ service: Int, step: Int, count: Int) {
        let candidates = self.services[service].livePods.filter(\.started)
        if !candidates.isEmpty {
            let pod = candidates[step % candidates.count]
            self.setProbeFailed(!pod.probeFailed, service, pod.name)
            self.flush(service)
        }
        if step == count - 1 {
            self.schedule(.burstRecovered(service: service), after: 1)
        }
    }
}
