import Foundation

// Replaced by the decoders of branch h-pods at merge.
extension KubernetesObjectPage {
    static func decode(
        _ data: Data,
        item: (inout JSONReader) throws(JSONReader.Failure) -> Object
    ) throws -> KubernetesObjectPage<Object> {
        throw WatchEvent.DecodingError(reason: "stub")
    }
}

extension KubernetesObjectEvent {
    static func decode(
        _ data: Data,
        object: (inout JSONReader) throws(JSONReader.Failure) -> Object
    ) throws(WatchEvent.DecodingError) -> KubernetesObjectEvent<Object> {
        throw WatchEvent.DecodingError(reason: "stub")
    }
}

extension PodSummary {
    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        throw reader.failure("stub")
    }
}

extension ReplicaSetSummary {
    init(reading reader: inout JSONReader) throws(JSONReader.Failure) {
        throw reader.failure("stub")
    }
}

extension WorkloadVerdict {
    static func decide(preStop: PreStopAction, grace: Int, lagP99: Double?, recommendedPreStop: Int?) -> WorkloadVerdict
    {
        if let seconds = preStop.seconds, seconds >= grace { return .exceedsGrace }
        guard let seconds = preStop.seconds else { return .unknown }
        guard let lagP99 else { return .noData }
        return Double(seconds) < lagP99 ? .tooShort : .ok
    }
}

public struct WorkloadPatch: Sendable, Equatable {
    public var json: String
    public var command: String
    public var note: String?
}
