/// One page of a Kubernetes list: items, the list's resourceVersion and the `continue` token.
public struct KubernetesObjectPage<Object: Sendable>: Sendable {
    public var items: [Object]
    public var resourceVersion: String?
    public var continueToken: String?

    public init(items: [Object], resourceVersion: String?, continueToken: String?) {
        self.items = items
        self.resourceVersion = resourceVersion
        self.continueToken = continueToken
    }
}
