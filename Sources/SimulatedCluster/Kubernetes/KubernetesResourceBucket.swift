/// The current objects of one resource in ``KubernetesStore``, with their keys kept sorted once a list or watch
/// needed them in order (so that paging through 100 000 pods sorts them once, not once per page).
struct KubernetesResourceBucket: Sendable {
    /// The objects keyed by `namespace/name`.
    private(set) var objects: [String: StoredKubernetesObject] = [:]
    /// The keys in ascending order, or `nil` until first needed.
    private var sortedKeysCache: [String]?

    /// Stores `object` under `key`, keeping the sorted keys up to date.
    mutating func set(_ object: StoredKubernetesObject, key: String) {
        if self.objects.updateValue(object, forKey: key) == nil, self.sortedKeysCache != nil {
            let index = Self.lowerBound(of: key, in: self.sortedKeysCache ?? [])
            self.sortedKeysCache?.insert(key, at: index)
        }
    }

    /// Removes the object under `key` and returns it.
    mutating func remove(key: String) -> StoredKubernetesObject? {
        guard let removed = self.objects.removeValue(forKey: key) else { return nil }
        // Find the index without keeping a second reference to the keys, so that the removal does not copy them.
        if let index = self.sortedKeysCache.map({ Self.lowerBound(of: key, in: $0) }),
            index < self.sortedKeysCache?.count ?? 0, self.sortedKeysCache?[index] == key
        {
            self.sortedKeysCache?.remove(at: index)
        }
        return removed
    }

    /// The keys in ascending order.
    mutating func sortedKeys() -> [String] {
        if let keys = self.sortedKeysCache {
            return keys
        }
        let keys = self.objects.keys.sorted()
        self.sortedKeysCache = keys
        return keys
    }

    /// The index of the first element of `keys` (sorted) not below `key`.
    static func lowerBound(of key: String, in keys: [String]) -> Int {
        var low = 0
        var high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] < key {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }
}
