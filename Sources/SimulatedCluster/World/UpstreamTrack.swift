/// What ``SimulatedIngressController`` tracks for one upstream (one Service port): what APISIX has, the writes
/// queued, and the readiness transitions not yet covered by a write, from which the truth is computed.
struct UpstreamTrack: Sendable {
    /// A queued write: the ready set as it was at one change (a snapshot), due at a clamped time.
    struct QueuedWrite: Sendable {
        let sequence: Int
        let nodes: Set<String>
        let due: ContinuousClock.Instant
    }

    /// A node changing readiness in Kubernetes.
    struct Transition: Sendable {
        let sequence: Int
        let node: String
        let ready: Bool
        let time: Double
        var podDeletion: PodDeletionTruth?
    }

    let id: String
    /// The objects written for the Service port.
    let layout: ServicePortLayout
    /// The name of the APISIX instance the track writes to.
    let instance: String
    let namespace: String
    let service: String
    let portName: String
    /// The node set APISIX has (as last written).
    private(set) var applied: Set<String>
    /// The ready set of the last change received.
    private(set) var received: Set<String>
    private(set) var queue: [QueuedWrite] = []
    private var transitions: [Transition] = []
    private var nextSequence = 0

    init(change: EndpointChange, layout: ServicePortLayout, instance: String) {
        self.layout = layout
        self.id = layout.primaryID
        self.instance = instance
        self.namespace = change.namespace
        self.service = change.service
        self.portName = change.portName
        self.applied = change.readyNodes
        self.received = change.readyNodes
    }

    /// Takes the ready set of an initial change as what APISIX has (it is written at once).
    mutating func resetInitial(_ change: EndpointChange) {
        self.applied = change.readyNodes
        self.received = change.readyNodes
    }

    /// When the next queued write is due.
    var nextDue: ContinuousClock.Instant? {
        self.queue.first?.due
    }

    /// Queues a write of `change`'s ready set, due after `delay` but never before the previous write (so writes
    /// land in order), and records the readiness transitions. Returns `false` (queuing nothing) when the ready
    /// set did not change.
    mutating func enqueue(_ change: EndpointChange, delay: Double, now: ContinuousClock.Instant) -> Bool {
        guard change.readyNodes != self.received else { return false }
        let sequence = self.nextSequence
        self.nextSequence += 1
        for node in change.readyNodes.subtracting(self.received).sorted() {
            self.transitions.append(
                Transition(sequence: sequence, node: node, ready: true, time: change.kubernetesTime)
            )
        }
        for node in self.received.subtracting(change.readyNodes).sorted() {
            self.transitions.append(
                Transition(
                    sequence: sequence,
                    node: node,
                    ready: false,
                    time: change.kubernetesTime,
                    podDeletion: change.podDeletions[node]
                )
            )
        }
        self.received = change.readyNodes
        var due = now + .seconds(delay)
        if let last = self.queue.last?.due, last > due {
            due = last
        }
        self.queue.append(QueuedWrite(sequence: sequence, nodes: change.readyNodes, due: due))
        return true
    }

    /// Makes every queued write due at `now` at the latest: a controller back from an outage syncs the current
    /// state at once.
    mutating func makeQueueDue(now: ContinuousClock.Instant) {
        self.queue = self.queue.map { QueuedWrite(sequence: $0.sequence, nodes: $0.nodes, due: min($0.due, now)) }
    }

    /// Removes every write due at or before `now` and returns the one to make: in `snapshot` mode the last of
    /// them (a controller that fell behind, or was paused, writes only the newest snapshot), in `latest` mode the
    /// newest ready set received.
    mutating func takeDueWrite(
        now: ContinuousClock.Instant,
        mode: SimulatedIngressController.WriteMode
    ) -> QueuedWrite? {
        let dueCount = self.queue.prefix { $0.due <= now }.count
        guard dueCount > 0 else { return nil }
        var write = self.queue[dueCount - 1]
        self.queue.removeFirst(dueCount)
        if mode == .latest {
            write = QueuedWrite(sequence: self.nextSequence - 1, nodes: self.received, due: write.due)
        }
        return write
    }

    /// Marks `write` as written to APISIX at `apisixTime` (or skipped, when its nodes equal what APISIX has) and
    /// returns the truth: per node, the last readiness change that APISIX did not have before is `synced` (if the
    /// write changed the node), changes Kubernetes reverted before this write are `superseded`.
    mutating func complete(_ write: QueuedWrite, apisixTime: Double, workerTime: Double?) -> [TruthRecord] {
        let covered = self.transitions.prefix { $0.sequence <= write.sequence }
        self.transitions.removeFirst(covered.count)
        let records = self.resolve(Array(covered)) { pending in
            self.record(pending, outcome: .synced, apisixTime: apisixTime, workerTime: workerTime)
        }
        self.applied = write.nodes
        return records
    }

    /// The changes not written yet, as records with outcome `pending`: per node, the net change against what
    /// APISIX has (changes reverted meanwhile are left out; they end as `superseded` or `synced` depending on the
    /// writes still to come).
    func pendingChanges() -> [TruthRecord] {
        self.resolve(self.transitions) { pending in self.record(pending, outcome: .pending) }
            .filter { $0.outcome == .pending }
    }

    /// Walks `transitions` per node against ``applied``: a transition away from APISIX's state opens a change, a
    /// transition back supersedes it; a change still open at the end is passed to `open`.
    private func resolve(_ transitions: [Transition], open: (Transition) -> TruthRecord) -> [TruthRecord] {
        var order: [String] = []
        var byNode: [String: [Transition]] = [:]
        for transition in transitions {
            if byNode[transition.node] == nil {
                order.append(transition.node)
            }
            byNode[transition.node, default: []].append(transition)
        }
        var records: [TruthRecord] = []
        for node in order {
            let inAPISIX = self.applied.contains(node)
            var pending: Transition?
            for transition in byNode[node] ?? [] {
                if let change = pending, transition.ready == inAPISIX {
                    records.append(self.record(change, outcome: .superseded, revertTime: transition.time))
                    pending = nil
                } else if pending == nil, transition.ready != inAPISIX {
                    pending = transition
                }
            }
            if let change = pending {
                records.append(open(change))
            }
        }
        return records
    }

    private func record(
        _ transition: Transition,
        outcome: TruthRecord.Outcome,
        apisixTime: Double? = nil,
        revertTime: Double? = nil,
        workerTime: Double? = nil
    ) -> TruthRecord {
        TruthRecord(
            namespace: self.namespace,
            service: self.service,
            portName: self.portName,
            node: transition.node,
            upstreamID: self.id,
            kind: transition.ready ? .add : .remove,
            outcome: outcome,
            kubernetesTime: transition.time,
            apisixTime: apisixTime,
            revertTime: revertTime,
            instance: self.instance,
            workerTime: workerTime,
            podDeletion: transition.podDeletion
        )
    }
}
