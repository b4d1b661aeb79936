/// One page of a Kubernetes list: items, the list's resourceVersion and the `continue` token.
public struct KubernetesObjectPage<Object: Sendable>: Sendable {
    public var items: [Object]
    public var resourceVersion: String?
    public var continueToken: String?
    /// `metadata.remainingItemCount`: how many items the next pages hold (an estimate; absent with selectors).
    public var remainingItemCount: Int?

    public init(items: [Object], resourceVersion: String?, continueToken: String?, remainingItemCount: Int? = nil) {
        self.items = items
        self.resourceVersion = resourceVersion
        self.continueToken = continueToken
        self.remainingItemCount = remainingItemCount
    }
}
