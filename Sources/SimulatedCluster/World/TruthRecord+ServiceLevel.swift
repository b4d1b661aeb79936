extension TruthRecord {
    /// The Service-level truth of `records` from several instances: one record per change (the same node, kind and
    /// Kubernetes time), which is synced only when every instance that has a record of it synced it, and then is the
    /// record of the last instance to do so (its ``apisixTime`` is the Service-level sync time). Otherwise it is the
    /// first record of the change that is not synced (superseded or pending). Records come out in the order their
    /// change was completed (its last record in `records`).
    ///
    /// An instance removed while a change was queued for it has no record of that change, so it does not hold the
    /// Service-level record back.
    public static func serviceLevel(_ records: [TruthRecord]) -> [TruthRecord] {
        struct Change: Hashable {
            let namespace: String
            let service: String
            let portName: String
            let node: String
            let kind: Kind
            let kubernetesTime: Double
        }
        var groups: [Change: [TruthRecord]] = [:]
        var completion: [Change: Int] = [:]
        for (index, record) in records.enumerated() {
            let change = Change(
                namespace: record.namespace,
                service: record.service,
                portName: record.portName,
                node: record.node,
                kind: record.kind,
                kubernetesTime: record.kubernetesTime
            )
            groups[change, default: []].append(record)
            completion[change] = index
        }
        return groups.sorted { completion[$0.key, default: 0] < completion[$1.key, default: 0] }.map { _, group in
            if let unsynced = group.first(where: { $0.outcome != .synced }) {
                return unsynced
            }
            return group.max { ($0.apisixTime ?? 0) < ($1.apisixTime ?? 0) } ?? group[0]
        }
    }
}
