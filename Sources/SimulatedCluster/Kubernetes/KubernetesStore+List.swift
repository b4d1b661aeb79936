/// One page of a list response.
struct KubernetesListPage: Sendable {
    /// The objects of the page, in key order.
    let items: [StoredKubernetesObject]
    /// The resource version of the snapshot the page was read from (the same for all pages of one list).
    let resourceVersion: Int
    /// The token for the next page, or `nil` on the last page.
    let continueToken: KubernetesContinueToken?
    /// The number of items after this page, when known (not with a label selector).
    let remainingItemCount: Int?
}

extension KubernetesStore {
    /// Reads one page of a list of `resource`. A page costs O(log n + page + changes since the snapshot): the
    /// keys are kept sorted, and an older snapshot is read as the current objects corrected by the history.
    ///
    /// - Parameters:
    ///   - resource: The resource listed.
    ///   - filter: The namespace and label selector.
    ///   - limit: The page size (the smaller of the client's `limit` and the server cap), or `nil` for all items.
    ///   - continueToken: The token of the previous page, or `nil` for the first page.
    /// - Throws: ``KubernetesStatus`` 410 when the token's snapshot was compacted.
    mutating func listPage(
        _ resource: KubernetesResource,
        filter: KubernetesObjectFilter,
        limit: Int?,
        continueToken: KubernetesContinueToken?
    ) throws(KubernetesStatus) -> KubernetesListPage {
        var snapshotVersion = self.resourceVersion
        // The state at the snapshot of every key changed after it (`nil`: absent then).
        var changed: [String: StoredKubernetesObject?] = [:]
        if let token = continueToken, token.resourceVersion > 0 {
            guard token.resourceVersion >= self.compactedResourceVersion else {
                let inconsistent = KubernetesContinueToken(resourceVersion: -1, startKey: token.startKey)
                throw KubernetesStatus.expiredContinue(inconsistentContinue: inconsistent.encoded)
            }
            snapshotVersion = token.resourceVersion
            for event in self.history.reversed() {
                guard event.resourceVersion > snapshotVersion else { break }
                if event.resource == resource {
                    changed.updateValue(event.previous, forKey: event.object.key)
                }
            }
        }
        var bucket = self.buckets.removeValue(forKey: resource) ?? KubernetesResourceBucket()
        let keys = bucket.sortedKeys()
        self.buckets[resource] = bucket
        let objects = bucket.objects

        let lower = filter.absoluteKey(relative: continueToken?.startKey ?? "")
        let upper = filter.keyUpperBound
        func inRange(_ key: String) -> Bool { key >= lower && upper.map { key < $0 } != false }
        let gone = changed.compactMap { key, old in old != nil && objects[key] == nil && inRange(key) ? key : nil }
            .sorted()
        let end = upper.map { KubernetesResourceBucket.lowerBound(of: $0, in: keys) } ?? keys.count
        var index = KubernetesResourceBucket.lowerBound(of: lower, in: keys)
        var goneIndex = 0
        var items: [StoredKubernetesObject] = []
        var nextKey: String?
        while true {
            let current = index < end ? keys[index] : nil
            let deleted = goneIndex < gone.count ? gone[goneIndex] : nil
            guard let key = current.map({ key in deleted.map { min(key, $0) } ?? key }) ?? deleted else { break }
            let object: StoredKubernetesObject?
            if let atSnapshot = changed[key] {
                object = atSnapshot
            } else {
                object = objects[key]
            }
            if let object, filter.matches(object) {
                if let limit, limit > 0, items.count == limit {
                    nextKey = key
                    break
                }
                items.append(object)
            }
            if key == current { index += 1 } else { goneIndex += 1 }
        }
        guard let nextKey else {
            return KubernetesListPage(
                items: items,
                resourceVersion: snapshotVersion,
                continueToken: nil,
                remainingItemCount: nil
            )
        }
        var remaining: Int?
        if filter.selector.isEmpty {
            let addedSince = changed.count { key, old in
                old == nil && objects[key] != nil && key >= nextKey && inRange(key)
            }
            remaining = (end - index) + (gone.count - goneIndex) - addedSince
        }
        let lastKey = items.last.map(filter.relativeKey) ?? ""
        return KubernetesListPage(
            items: items,
            resourceVersion: snapshotVersion,
            continueToken: KubernetesContinueToken(resourceVersion: snapshotVersion, after: lastKey),
            remainingItemCount: remaining
        )
    }
}
