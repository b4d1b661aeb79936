import Foundation

/// The object store of ``FakeKubernetesAPI``: current objects, a global resource version and a bounded change
/// history, which serves watches that resume from an older resource version and paginated lists that must read
/// the snapshot their first page was taken from.
struct KubernetesStore: Sendable {
    /// The resource version of the last write.
    private(set) var resourceVersion: Int
    /// The current objects keyed by `namespace/name`.
    private(set) var objects: [String: StoredEndpointSlice] = [:]
    /// The changes after ``compactedResourceVersion``, oldest first.
    private(set) var history: [StoredEvent] = []
    /// Watches and continue tokens from a resource version older than this fail with 410 Gone.
    private(set) var compactedResourceVersion: Int
    /// The maximum number of history entries kept; older entries are compacted away. `nil` keeps everything.
    let historyLimit: Int?

    init(initialResourceVersion: Int, historyLimit: Int?) {
        self.resourceVersion = initialResourceVersion
        self.compactedResourceVersion = initialResourceVersion
        self.historyLimit = historyLimit
    }

    /// Creates or replaces `slice`, returning the recorded change.
    mutating func apply(_ slice: FakeEndpointSlice) -> StoredEvent {
        self.resourceVersion += 1
        let key = StoredEndpointSlice.key(namespace: slice.namespace, name: slice.name)
        let previous = self.objects[key]
        let stored = StoredEndpointSlice(
            slice: slice,
            uid: previous?.uid ?? UUID().uuidString.lowercased(),
            resourceVersion: self.resourceVersion,
            generation: (previous?.generation ?? 0) + 1,
            creationTimestamp: previous?.creationTimestamp ?? Self.timestamp(Date())
        )
        self.objects[key] = stored
        return self.record(StoredEvent(type: previous == nil ? .added : .modified, object: stored, previous: previous))
    }

    /// Deletes `namespace/name`, returning the recorded change, or `nil` when there is no such object.
    mutating func delete(namespace: String, name: String) -> StoredEvent? {
        let key = StoredEndpointSlice.key(namespace: namespace, name: name)
        guard let previous = self.objects.removeValue(forKey: key) else { return nil }
        self.resourceVersion += 1
        var last = previous
        last.resourceVersion = self.resourceVersion
        return self.record(StoredEvent(type: .deleted, object: last, previous: previous))
    }

    /// Forgets the whole history: afterwards only the current resource version can be watched from.
    mutating func compact() {
        self.history.removeAll()
        self.compactedResourceVersion = self.resourceVersion
    }

    /// The changes after `resourceVersion`, or `nil` when that part of the history was compacted.
    func events(after resourceVersion: Int) -> [StoredEvent]? {
        guard resourceVersion >= self.compactedResourceVersion else { return nil }
        return self.history.filter { $0.resourceVersion > resourceVersion }
    }

    /// The objects as they were at `resourceVersion`, or `nil` when that snapshot was compacted.
    func objects(at resourceVersion: Int) -> [String: StoredEndpointSlice]? {
        guard resourceVersion >= self.compactedResourceVersion else { return nil }
        var objects = self.objects
        for event in self.history.reversed() where event.resourceVersion > resourceVersion {
            objects[event.object.key] = event.previous
        }
        return objects
    }

    private mutating func record(_ event: StoredEvent) -> StoredEvent {
        self.history.append(event)
        if let limit = self.historyLimit, self.history.count > limit {
            let dropped = self.history.prefix(self.history.count - max(limit, 0))
            if let last = dropped.last {
                self.compactedResourceVersion = last.resourceVersion
            }
            self.history.removeFirst(dropped.count)
        }
        return event
    }

    /// Formats `date` like `metav1.Time`: RFC 3339 in UTC with whole seconds.
    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
