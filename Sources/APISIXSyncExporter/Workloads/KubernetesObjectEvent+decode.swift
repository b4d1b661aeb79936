import Foundation

extension KubernetesObjectEvent {
    /// Decodes one line of a watch stream with exactly the rules of ``WatchEvent/decode(_:)``, reading ADDED,
    /// MODIFIED and DELETED objects with `object`.
    static func decode(
        _ data: Data,
        object: (inout JSONReader) throws(JSONReader.Failure) -> Object
    ) throws(WatchEvent.DecodingError) -> KubernetesObjectEvent<Object> {
        switch try WatchLine.decode(data, object: object) {
        case .added(let object): .added(object)
        case .modified(let object): .modified(object)
        case .deleted(let object): .deleted(object)
        case .bookmark(let resourceVersion): .bookmark(resourceVersion: resourceVersion)
        case .error(let status): .error(status)
        }
    }
}

extension KubernetesObjectEvent where Object == PodSummary {
    /// Decodes one line of a Pod watch stream.
    public static func decode(_ data: Data) throws(WatchEvent.DecodingError) -> KubernetesObjectEvent<PodSummary> {
        try decode(data) { reader throws(JSONReader.Failure) in try PodSummary(reading: &reader) }
    }
}

extension KubernetesObjectEvent where Object == ReplicaSetSummary {
    /// Decodes one line of a ReplicaSet watch stream.
    public static func decode(
        _ data: Data
    ) throws(WatchEvent.DecodingError) -> KubernetesObjectEvent<ReplicaSetSummary> {
        try decode(data) { reader throws(JSONReader.Failure) in try ReplicaSetSummary(reading: &reader) }
    }
}
