/// One page of a list response.
struct KubernetesListPage: Sendable {
    /// The objects of the page, in key order.
    let items: [StoredEndpointSlice]
    /// The resource version of the snapshot the page was read from (the same for all pages of one list).
    let resourceVersion: Int
    /// The token for the next page, or `nil` on the last page.
    let continueToken: KubernetesContinueToken?
    /// The number of items after this page, when known (not with a label selector).
    let remainingItemCount: Int?
}

extension KubernetesStore {
    /// Reads one page of a list.
    ///
    /// - Parameters:
    ///   - filter: The namespace and label selector.
    ///   - limit: The page size (the smaller of the client's `limit` and the server cap), or `nil` for all items.
    ///   - continueToken: The token of the previous page, or `nil` for the first page.
    /// - Throws: ``KubernetesStatus`` 410 when the token's snapshot was compacted.
    func listPage(
        filter: KubernetesObjectFilter,
        limit: Int?,
        continueToken: KubernetesContinueToken?
    ) throws(KubernetesStatus) -> KubernetesListPage {
        var snapshotVersion = self.resourceVersion
        var objects = self.objects
        if let token = continueToken, token.resourceVersion > 0 {
            guard let snapshot = self.objects(at: token.resourceVersion) else {
                let inconsistent = KubernetesContinueToken(resourceVersion: -1, startKey: token.startKey)
                throw KubernetesStatus.expiredContinue(inconsistentContinue: inconsistent.encoded)
            }
            snapshotVersion = token.resourceVersion
            objects = snapshot
        }
        let startKey = continueToken?.startKey ?? ""
        let candidates = objects.values
            .filter { filter.matches($0) && filter.relativeKey($0) >= startKey }
            .sorted { filter.relativeKey($0) < filter.relativeKey($1) }
        guard let limit, limit > 0, candidates.count > limit else {
            return KubernetesListPage(
                items: candidates,
                resourceVersion: snapshotVersion,
                continueToken: nil,
                remainingItemCount: nil
            )
        }
        let page = Array(candidates.prefix(limit))
        let lastKey = page.last.map(filter.relativeKey) ?? startKey
        return KubernetesListPage(
            items: page,
            resourceVersion: snapshotVersion,
            continueToken: KubernetesContinueToken(resourceVersion: snapshotVersion, after: lastKey),
            remainingItemCount: filter.selector.isEmpty ? candidates.count - page.count : nil
        )
    }
}
