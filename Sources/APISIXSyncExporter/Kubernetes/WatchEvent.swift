import Foundation

/// One line of a Kubernetes watch stream.
public enum WatchEvent: Sendable, Equatable {
    case added(EndpointSlice)
    case modified(EndpointSlice)
    case deleted(EndpointSlice)
    /// Only the resourceVersion to resume from.
    case bookmark(resourceVersion: String)
    /// A `Status` sent in the stream; `code == 410` means the resourceVersion expired and the client must relist.
    case error(KubernetesStatus)

    /// Why a line could not be decoded.
    public struct DecodingError: Error, CustomStringConvertible, Sendable {
        public let reason: String
        public var description: String { "malformed watch event: \(reason)" }
    }

    /// Decodes one newline-free JSON document of the stream (with ``JSONReader``: the watch carries a full
    /// EndpointSlice for every change). Malformed JSON anywhere is "not a watch event envelope"; a well-formed event
    /// whose object does not have the shape of its type is "`<type>` object does not decode". With
    /// `targetReferences` false the endpoints' `targetRef`s are skipped (see ``EndpointSlice/init(reading:targetReferences:)``).
    public static func decode(_ data: Data, targetReferences: Bool = true) throws(DecodingError) -> WatchEvent {
        let line = try WatchLine.decode(data) { reader throws(JSONReader.Failure) in
            try EndpointSlice(reading: &reader, targetReferences: targetReferences)
        }
        switch line {
        case .added(let slice): return .added(slice)
        case .modified(let slice): return .modified(slice)
        case .deleted(let slice): return .deleted(slice)
        case .bookmark(let resourceVersion): return .bookmark(resourceVersion: resourceVersion)
        case .error(let status): return .error(status)
        }
    }
}
