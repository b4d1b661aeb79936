/// Which objects a list or watch request covers: a namespace (or all) and a label selector.
struct KubernetesObjectFilter: Sendable {
    /// The namespace of a namespaced request, `nil` for a cluster-wide one.
    let namespace: String?
    /// The request's label selector.
    let selector: LabelSelector

    /// Whether `stored` is covered.
    func matches(_ stored: StoredEndpointSlice) -> Bool {
        if let namespace = self.namespace, stored.slice.namespace != namespace {
            return false
        }
        return self.selector.matches(stored.slice.effectiveLabels)
    }

    /// The key of `stored` relative to the request's key prefix (`name` in a namespaced request, `namespace/name`
    /// otherwise), which is what list pages are ordered by and continue tokens refer to.
    func relativeKey(_ stored: StoredEndpointSlice) -> String {
        self.namespace == nil ? stored.key : stored.slice.name
    }
}
