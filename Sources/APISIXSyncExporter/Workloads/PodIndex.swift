/// The pods and ReplicaSets behind measured Services, reduced to what timing a removal from its pod's deletion and
/// naming its workload need. Pod templates and owners are interned: 100,000 pods of 10,000 Deployments keep 10,000
/// of each. Deleted pods stay as tombstones for ``tombstoneSeconds`` so that an EndpointSlice update arriving after
/// the pod's DELETED event still finds its deletion. Pure value type: the caller passes the time.
public struct PodIndex: Sendable {
    /// A pod as the index answers for it.
    public struct Pod: Sendable, Equatable {
        public var namespace: String
        public var name: String
        /// The uid as kept; ``uid`` formats it only when asked (not on the per-endpoint paths).
        var objectUID: ObjectUID?
        public var uid: String? { objectUID?.text }
        public var owner: OwnerReference?
        public var template: PodTemplateSummary
        public var deletion: PodDeletion?
    }

    struct Entry: Sendable {
        var uid: ObjectUID?
        var owner: Int32
        var template: Int32
        var deletion: PodDeletion?
    }

    /// How long a deleted pod is remembered.
    public static let tombstoneSeconds = 120.0

    private var pods: [PodName: Entry] = [:]
    private var tombstones: [PodName: Entry] = [:]
    private var tombstoneExpiry: [(expires: Timestamp, name: PodName, uid: ObjectUID?)] = []
    private var owners = Interned<OwnerReference>()
    private var templates = Interned<PodTemplateSummary>()
    private var replicaSetOwners: [PodName: OwnerReference] = [:]
    private var replicaSetsKnown: Set<PodName> = []
    private var updatesSinceCompaction = 0

    public init() {}

    /// Number of live pods held.
    public var count: Int { pods.count }

    // MARK: Pods

    /// Replaces every pod, or every pod of one namespace (a list). A pod that was already deleting keeps its
    /// deletion moment; others listed as deleting were not seen live.
    public mutating func replaceAll(_ list: [PodSummary], inNamespace namespace: String? = nil) {
        var staged = PodIndex()
        for pod in list { staged.stage(pod) }
        replaceAll(with: staged, inNamespace: namespace)
    }

    /// Adds a pod of a list being read page by page (into an index that only collects the list); finish with
    /// ``replaceAll(with:inNamespace:)`` on the live index. A pod listed as deleting was not seen live.
    public mutating func stage(_ pod: PodSummary) {
        var entry = makeEntry(pod)
        if pod.deletionTimestamp != nil { entry.deletion = PodDeletion(seen: nil, requested: pod.deletionRequested) }
        pods[PodName(namespace: pod.namespace, name: pod.name)] = entry
    }

    /// Replaces every pod, or every pod of one namespace, with the pods `list` collected by ``stage(_:)``. A pod that
    /// was already deleting keeps its deletion moment; tombstones and ReplicaSets stay.
    public mutating func replaceAll(with list: PodIndex, inNamespace namespace: String? = nil) {
        var next = list
        if let namespace, next.pods.keys.contains(where: { $0.namespace != namespace }) {
            next.pods = next.pods.filter { $0.key.namespace == namespace }  // outside this list's scope
        }
        var index = next.pods.startIndex
        while index != next.pods.endIndex {
            let name = next.pods.keys[index]
            if let old = pods[name], old.uid == next.pods.values[index].uid, let deletion = old.deletion {
                let requested = next.pods.values[index].deletion?.requested ?? deletion.requested
                next.pods.values[index].deletion = PodDeletion(seen: deletion.seen, requested: requested)
            }
            index = next.pods.index(after: index)
        }
        func carried(_ entry: Entry) -> Entry {
            var entry = entry
            entry.owner = owners.value(entry.owner).map { next.owners.id(for: $0) } ?? -1
            entry.template = templates.value(entry.template).map { next.templates.id(for: $0) } ?? -1
            return entry
        }
        if let namespace {
            for (name, entry) in pods where name.namespace != namespace { next.pods[name] = carried(entry) }
        }
        next.tombstones = tombstones.mapValues(carried)
        next.tombstoneExpiry = tombstoneExpiry
        next.replicaSetOwners = replicaSetOwners
        next.replicaSetsKnown = replicaSetsKnown
        self = next
        compact()
    }

    /// Adds or updates a pod; returns true when this update is the first to show it deleting.
    @discardableResult
    public mutating func upsert(_ pod: PodSummary, at time: Timestamp, live: Bool) -> Bool {
        let name = PodName(namespace: pod.namespace, name: pod.name)
        var entry = makeEntry(pod)
        let uid = pod.uid.map(ObjectUID.init)
        let old = pods[name].flatMap { $0.uid == uid ? $0 : nil }
        var started = false
        if let deletion = old?.deletion {
            entry.deletion = PodDeletion(seen: deletion.seen, requested: pod.deletionRequested ?? deletion.requested)
        } else if pod.deletionTimestamp != nil {
            entry.deletion = PodDeletion(seen: live ? time : nil, requested: pod.deletionRequested)
            started = true
        }
        pods[name] = entry
        countUpdate()
        return started
    }

    /// Removes a pod; it stays findable as a tombstone. A pod deleted without a prior deleting update (grace 0) is
    /// deleting from this event on.
    public mutating func delete(_ pod: PodSummary, at time: Timestamp, live: Bool) {
        let name = PodName(namespace: pod.namespace, name: pod.name)
        var entry = pods.removeValue(forKey: name) ?? makeEntry(pod)
        if entry.deletion == nil {
            entry.deletion = PodDeletion(seen: live ? time : nil, requested: pod.deletionRequested)
        }
        tombstones[name] = entry
        tombstoneExpiry.append((time + Self.tombstoneSeconds, name, entry.uid))
        pruneTombstones(at: time)
        countUpdate()
    }

    /// The pod an endpoint's `targetRef` names: by uid when the reference has one (a same-named pod of another uid
    /// does not match), else by name. Tombstones answer too.
    public func pod(namespace: String, name: String, uid: String?) -> Pod? {
        pod(namespace: namespace, name: name, objectUID: uid.map(ObjectUID.init))
    }

    func pod(namespace: String, name: String, objectUID uid: ObjectUID?) -> Pod? {
        let key = PodName(namespace: namespace, name: name)
        for entry in [pods[key], tombstones[key]] {
            guard let entry else { continue }
            if let uid, let known = entry.uid, uid != known { continue }
            return Pod(
                namespace: namespace,
                name: name,
                objectUID: entry.uid,
                owner: owners.value(entry.owner),
                template: templates.value(entry.template) ?? PodTemplateSummary(),
                deletion: entry.deletion
            )
        }
        return nil
    }

    /// Every live pod (tests, the workload table).
    public func allPods() -> [Pod] {
        pods.keys.sorted().compactMap { key in pod(namespace: key.namespace, name: key.name, uid: nil) }
    }

    // MARK: ReplicaSets

    /// Replaces every ReplicaSet, or every ReplicaSet of one namespace (a list).
    public mutating func replaceAllReplicaSets(_ list: [ReplicaSetSummary], inNamespace namespace: String? = nil) {
        if let namespace {
            replicaSetOwners = replicaSetOwners.filter { $0.key.namespace != namespace }
            replicaSetsKnown = replicaSetsKnown.filter { $0.namespace != namespace }
        } else {
            replicaSetOwners = [:]
            replicaSetsKnown = []
        }
        for replicaSet in list where namespace == nil || replicaSet.namespace == namespace {
            upsertReplicaSet(replicaSet)
        }
    }

    public mutating func upsertReplicaSet(_ replicaSet: ReplicaSetSummary) {
        let name = PodName(namespace: replicaSet.namespace, name: replicaSet.name)
        replicaSetsKnown.insert(name)
        replicaSetOwners[name] = replicaSet.owner
    }

    public mutating func deleteReplicaSet(_ replicaSet: ReplicaSetSummary) {
        let name = PodName(namespace: replicaSet.namespace, name: replicaSet.name)
        replicaSetsKnown.remove(name)
        replicaSetOwners[name] = nil
    }

    // MARK: Workloads

    /// Why a pod's workload is only approximately known.
    public enum WorkloadGap: String, Sendable, CaseIterable {
        /// The pod's ReplicaSet is not known (deleted, or not listed yet): the ReplicaSet stands for the workload.
        case ownerMissing = "owner_missing"
    }

    /// The workload a pod belongs to: ReplicaSet → its owner (usually a Deployment), StatefulSet, DaemonSet, any
    /// other controller as itself, or the bare pod.
    public func workload(of pod: Pod) -> (WorkloadKey, WorkloadGap?) {
        guard let owner = pod.owner else {
            return (WorkloadKey(namespace: pod.namespace, kind: "Pod", name: pod.name), nil)
        }
        if owner.kind == "ReplicaSet" {
            let name = PodName(namespace: pod.namespace, name: owner.name)
            guard replicaSetsKnown.contains(name) else {
                return (WorkloadKey(namespace: pod.namespace, kind: "ReplicaSet", name: owner.name), .ownerMissing)
            }
            if let parent = replicaSetOwners[name] {
                return (WorkloadKey(namespace: pod.namespace, kind: parent.kind, name: parent.name), nil)
            }
        }
        return (WorkloadKey(namespace: pod.namespace, kind: owner.kind, name: owner.name), nil)
    }

    // MARK: Storage

    private mutating func makeEntry(_ pod: PodSummary) -> Entry {
        Entry(
            uid: pod.uid.map(ObjectUID.init),
            owner: pod.owner.map { owners.id(for: $0) } ?? -1,
            template: templates.id(for: pod.template),
            deletion: nil
        )
    }

    private mutating func pruneTombstones(at time: Timestamp) {
        var expired = 0
        for tombstone in tombstoneExpiry {
            guard tombstone.expires <= time else { break }
            expired += 1
            if tombstones[tombstone.name]?.uid == tombstone.uid { tombstones[tombstone.name] = nil }
        }
        if expired > 0 { tombstoneExpiry.removeFirst(expired) }
    }

    private mutating func countUpdate() {
        updatesSinceCompaction += 1
        // Owners and templates of pods long gone (old ReplicaSets) are dropped now and then.
        if updatesSinceCompaction > max(10_000, pods.count) { compact() }
    }

    /// Rebuilds the interned tables from what live pods and tombstones use.
    private mutating func compact() {
        updatesSinceCompaction = 0
        var newOwners = Interned<OwnerReference>()
        var newTemplates = Interned<PodTemplateSummary>()
        func remap(_ entry: inout Entry) {
            if let owner = owners.value(entry.owner) { entry.owner = newOwners.id(for: owner) }
            if let template = templates.value(entry.template) { entry.template = newTemplates.id(for: template) }
        }
        // In place: assigning by key while iterating would copy the whole table (25 MB at 100,000 pods).
        var index = pods.values.startIndex
        while index != pods.values.endIndex {
            remap(&pods.values[index])
            index = pods.values.index(after: index)
        }
        index = tombstones.values.startIndex
        while index != tombstones.values.endIndex {
            remap(&tombstones.values[index])
            index = tombstones.values.index(after: index)
        }
        owners = newOwners
        templates = newTemplates
    }
}

/// A namespaced object name (pods, ReplicaSets).
struct PodName: Hashable, Comparable, Sendable {
    let namespace: String
    let name: String

    static func < (lhs: PodName, rhs: PodName) -> Bool { (lhs.namespace, lhs.name) < (rhs.namespace, rhs.name) }
}

/// Values stored once and referred to by a small integer.
struct Interned<Value: Hashable & Sendable>: Sendable {
    private var values: [Value] = []
    private var ids: [Value: Int32] = [:]

    mutating func id(for value: Value) -> Int32 {
        if let id = ids[value] { return id }
        let id = Int32(values.count)
        values.append(value)
        ids[value] = id
        return id
    }

    func value(_ id: Int32) -> Value? { id >= 0 && Int(id) < values.count ? values[Int(id)] : nil }
}
