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

    /// Decodes one newline-free JSON document of the stream.
    public static func decode(_ data: Data) throws(DecodingError) -> WatchEvent {
        let decoder = JSONDecoder()
        let envelope: Envelope
        do {
            envelope = try decoder.decode(Envelope.self, from: data)
        } catch {
            throw DecodingError(reason: "not a watch event envelope")
        }
        do {
            switch envelope.type {
            case "ADDED": return .added(try decoder.decode(ObjectOf<EndpointSlice>.self, from: data).object)
            case "MODIFIED": return .modified(try decoder.decode(ObjectOf<EndpointSlice>.self, from: data).object)
            case "DELETED": return .deleted(try decoder.decode(ObjectOf<EndpointSlice>.self, from: data).object)
            case "BOOKMARK":
                let object = try decoder.decode(ObjectOf<BookmarkObject>.self, from: data).object
                guard let version = object.metadata.resourceVersion, !version.isEmpty else {
                    throw DecodingError(reason: "bookmark without resourceVersion")
                }
                return .bookmark(resourceVersion: version)
            case "ERROR": return .error(try decoder.decode(ObjectOf<KubernetesStatus>.self, from: data).object)
            default: throw DecodingError(reason: "unknown event type \(envelope.type)")
            }
        } catch let error as DecodingError {
            throw error
        } catch {
            throw DecodingError(reason: "\(envelope.type) object does not decode")
        }
    }

    private struct Envelope: Decodable { var type: String }
    private struct ObjectOf<T: Decodable>: Decodable { var object: T }
    private struct BookmarkObject: Decodable {
        struct Metadata: Decodable { var resourceVersion: String? }
        var metadata: Metadata
    }
}

/// A Kubernetes `Status` object, as sent for errors.
public struct KubernetesStatus: Decodable, Sendable, Equatable {
    public var status: String?
    public var message: String?
    public var reason: String?
    public var code: Int?

    public init(status: String? = "Failure", message: String? = nil, reason: String? = nil, code: Int? = nil) {
        self.status = status
        self.message = message
        self.reason = reason
        self.code = code
    }
}

/// A page of an EndpointSlice list.
public struct EndpointSliceList: Decodable, Sendable {
    public struct Metadata: Decodable, Sendable {
        public var resourceVersion: String?
        public var `continue`: String?
    }

    public var metadata: Metadata
    public var items: [EndpointSlice]

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try container.decode(Metadata.self, forKey: .metadata)
        items = try container.decodeIfPresent([EndpointSlice].self, forKey: .items) ?? []
    }

    private enum CodingKeys: String, CodingKey { case metadata, items }
}
