/// The EndpointSlice controller of the simulated world: slice placement and writes.
extension WorldState {
    /// The index of the first slice of Service `service` with room for another endpoint, creating a slice if
    /// none has room.
    mutating func sliceWithRoom(_ service: Int) -> Int {
        let capacity = self.settings.maxEndpointsPerSlice
        if let index = self.services[service].slices.firstIndex(where: { $0.pods.count < capacity }) {
            return index
        }
        return self.createSlice(service)
    }

    /// Creates an empty slice `<service>-<suffix>` for Service `service` (not written yet) and returns its index.
    mutating func createSlice(_ service: Int) -> Int {
        let existing = Set(self.services[service].slices.map(\.name))
        var name = ""
        repeat {
            name = "\(self.services[service].name)-\(self.randomSuffix(length: 5))"
        } while existing.contains(name)
        self.services[service].slices.append(SimulatedService.Slice(name: name, pods: []))
        return self.services[service].slices.count - 1
    }

    /// Writes every changed slice of Service `service`, in slice order: an emptied slice is deleted unless it is
    /// the Service's last one, which then becomes a placeholder without endpoints and ports.
    mutating func flush(_ service: Int, isInitial: Bool = false) {
        self.syncReplicaSets(service)
        let dirty = self.services[service].dirtySlices
        self.services[service].dirtySlices.removeAll()
        for name in self.services[service].slices.map(\.name) where dirty.contains(name) {
            guard let index = self.services[service].slices.firstIndex(where: { $0.name == name }) else { continue }
            let slice = self.services[service].slices[index]
            let operation: SliceWrite.Operation
            if slice.pods.isEmpty, self.services[service].slices.count > 1 {
                self.services[service].slices.remove(at: index)
                self.services[service].written[name] = nil
                operation = .delete(name: name)
            } else {
                let written = self.endpointSlice(slice, of: service)
                self.services[service].written[name] = written
                operation = .apply(written)
            }
            let readyNodes = self.services[service].readyNodes(portName: self.settings.portName)
            var podDeletions: [String: PodDeletionTruth] = [:]
            if readyNodes != self.services[service].lastReadyNodes {
                let removed = self.services[service].lastReadyNodes.subtracting(readyNodes)
                for pod in self.services[service].pods.values {
                    guard let deletion = pod.deletion else { continue }
                    let node = "\(pod.address):\(self.settings.containerPort)"
                    if removed.contains(node) {
                        podDeletions[node] = deletion
                    }
                }
                self.statistics.readySetChanges += isInitial ? 0 : 1
                self.services[service].lastReadyNodes = readyNodes
            }
            self.statistics.sliceWrites += 1
            self.outbox.append(
                .slice(
                    SliceWrite(
                        serviceIndex: service,
                        operation: operation,
                        readyNodes: readyNodes,
                        isInitial: isInitial,
                        podDeletions: podDeletions
                    )
                )
            )
        }
    }

    /// The slice as the EndpointSlice controller writes it.
    private func endpointSlice(_ slice: SimulatedService.Slice, of service: Int) -> FakeEndpointSlice {
        let model = self.services[service]
        guard !slice.pods.isEmpty else {
            return FakeEndpointSlice(
                namespace: self.settings.namespace,
                name: slice.name,
                serviceName: model.name,
                endpoints: nil,
                ports: nil
            )
        }
        return FakeEndpointSlice(
            namespace: self.settings.namespace,
            name: slice.name,
            serviceName: model.name,
            endpoints: slice.pods.compactMap { model.pods[$0]?.endpoint },
            ports: [FakeEndpointPort(name: self.settings.portName, port: self.settings.containerPort)]
        )
    }
}
