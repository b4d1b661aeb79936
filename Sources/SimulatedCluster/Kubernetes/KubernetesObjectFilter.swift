/// Which objects a list or watch request covers: a namespace (or all) and a label selector.
struct KubernetesObjectFilter: Sendable {
    /// The namespace of a namespaced request, `nil` for a cluster-wide one.
    let namespace: String?
    /// The request's label selector.
    let selector: LabelSelector

    /// Whether `stored` is covered.
    func matches(_ stored: StoredKubernetesObject) -> Bool {
        if let namespace = self.namespace, stored.namespace != namespace {
            return false
        }
        return self.selector.isEmpty || self.selector.matches(stored.payload.labels)
    }

    /// The key of `stored` relative to the request's key prefix (`name` in a namespaced request, `namespace/name`
    /// otherwise), which is what list pages are ordered by and continue tokens refer to.
    func relativeKey(_ stored: StoredKubernetesObject) -> String {
        self.namespace == nil ? stored.key : stored.name
    }

    /// The storage key (`namespace/name`) of a key relative to the request's prefix.
    func absoluteKey(relative: String) -> String {
        self.namespace.map { "\($0)/\(relative)" } ?? relative
    }

    /// The first storage key after the request's namespace (`namespace0`, `0` following `/`), or `nil` for a
    /// cluster-wide request.
    var keyUpperBound: String? {
        self.namespace.map { "\($0)0" }
    }
}
