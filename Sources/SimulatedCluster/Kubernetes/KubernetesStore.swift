import Foundation

/// The object store of ``FakeKubernetesAPI``: current objects per resource, one global resource version and a
/// bounded change history, which serves watches that resume from an older resource version and paginated lists
/// that must read the snapshot their first page was taken from.
struct KubernetesStore: Sendable {
    /// The resource version of the last write.
    private(set) var resourceVersion: Int
    /// The current objects, per resource.
    var buckets: [KubernetesResource: KubernetesResourceBucket] = [:]
    /// The history storage; entries before ``historyHead`` are compacted away (dropped in batches).
    private var historyStorage: [StoredEvent] = []
    private var historyHead = 0
    /// The last creation timestamp formatted, by whole second (formatting dominates bulk creation otherwise).
    private var lastTimestamp: (second: Int, text: String)?
    /// Watches and continue tokens from a resource version older than this fail with 410 Gone.
    private(set) var compactedResourceVersion: Int
    /// The maximum number of history entries kept; older entries are compacted away. `nil` keeps everything.
    let historyLimit: Int?

    init(initialResourceVersion: Int, historyLimit: Int?) {
        self.resourceVersion = initialResourceVersion
        self.compactedResourceVersion = initialResourceVersion
        self.historyLimit = historyLimit
    }

    /// The changes after ``compactedResourceVersion``, oldest first.
    var history: ArraySlice<StoredEvent> {
        self.historyStorage[self.historyHead...]
    }

    /// The current objects of `resource`, keyed by `namespace/name`.
    func objects(of resource: KubernetesResource) -> [String: StoredKubernetesObject] {
        self.buckets[resource]?.objects ?? [:]
    }

    /// The current object `namespace/name` of `resource`, or `nil`.
    func object(_ resource: KubernetesResource, namespace: String, name: String) -> StoredKubernetesObject? {
        self.buckets[resource]?.objects[StoredKubernetesObject.key(namespace: namespace, name: name)]
    }

    /// The current objects of `resource` in key order.
    mutating func sortedObjects(of resource: KubernetesResource) -> [StoredKubernetesObject] {
        guard var bucket = self.buckets.removeValue(forKey: resource) else { return [] }
        let keys = bucket.sortedKeys()
        self.buckets[resource] = bucket
        return keys.compactMap { bucket.objects[$0] }
    }

    /// Creates or replaces `payload`, returning the recorded change.
    mutating func apply(_ payload: StoredPayload) -> StoredEvent {
        self.resourceVersion += 1
        let resource = payload.resource
        let key = StoredKubernetesObject.key(namespace: payload.namespace, name: payload.name)
        var bucket = self.buckets.removeValue(forKey: resource) ?? KubernetesResourceBucket()
        let previous = bucket.objects[key]
        let stored = StoredKubernetesObject(
            payload: payload,
            uid: payload.ownUID ?? previous?.uid ?? UUID().uuidString.lowercased(),
            resourceVersion: self.resourceVersion,
            generation: (previous?.generation ?? 0) + 1,
            creationTimestamp: previous?.creationTimestamp ?? self.currentTimestamp()
        )
        bucket.set(stored, key: key)
        self.buckets[resource] = bucket
        return self.record(StoredEvent(type: previous == nil ? .added : .modified, object: stored, previous: previous))
    }

    /// Deletes `namespace/name` of `resource`, returning the recorded change, or `nil` when there is no such object.
    mutating func delete(_ resource: KubernetesResource, namespace: String, name: String) -> StoredEvent? {
        let key = StoredKubernetesObject.key(namespace: namespace, name: name)
        guard var bucket = self.buckets.removeValue(forKey: resource) else { return nil }
        let removed = bucket.remove(key: key)
        self.buckets[resource] = bucket
        guard let previous = removed else { return nil }
        self.resourceVersion += 1
        var last = previous
        last.resourceVersion = self.resourceVersion
        return self.record(StoredEvent(type: .deleted, object: last, previous: previous))
    }

    /// Forgets the whole history: afterwards only the current resource version can be watched from.
    mutating func compact() {
        self.historyStorage.removeAll()
        self.historyHead = 0
        self.compactedResourceVersion = self.resourceVersion
    }

    /// The changes after `resourceVersion` (of every resource), or `nil` when that part of the history was
    /// compacted.
    func events(after resourceVersion: Int) -> [StoredEvent]? {
        guard resourceVersion >= self.compactedResourceVersion else { return nil }
        let history = self.history
        var start = history.endIndex
        while start > history.startIndex, history[start - 1].resourceVersion > resourceVersion {
            start -= 1
        }
        return Array(history[start...])
    }

    private mutating func record(_ event: StoredEvent) -> StoredEvent {
        self.historyStorage.append(event)
        if let limit = self.historyLimit {
            let excess = self.historyStorage.count - self.historyHead - max(limit, 0)
            if excess > 0 {
                self.historyHead += excess
                self.compactedResourceVersion = self.historyStorage[self.historyHead - 1].resourceVersion
                // Drop compacted entries in batches, so that a full history costs O(1) per write.
                if self.historyHead > max(limit, 1024) {
                    self.historyStorage.removeFirst(self.historyHead)
                    self.historyHead = 0
                }
            }
        }
        return event
    }

    private mutating func currentTimestamp() -> String {
        let now = Date()
        let second = Int(now.timeIntervalSince1970.rounded(.down))
        if let last = self.lastTimestamp, last.second == second {
            return last.text
        }
        let text = Self.timestamp(now)
        self.lastTimestamp = (second, text)
        return text
    }

    /// Formats `date` like `metav1.Time`: RFC 3339 in UTC with whole seconds.
    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
