/// One line of a watch stream of pods or ReplicaSets.
public enum KubernetesObjectEvent<Object: Sendable & Equatable>: Sendable, Equatable {
    case added(Object)
    case modified(Object)
    case deleted(Object)
    case bookmark(resourceVersion: String)
    case error(KubernetesStatus)
}
