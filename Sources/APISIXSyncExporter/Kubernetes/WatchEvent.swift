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
    /// whose object does not have the shape of its type is "`<type>` object does not decode".
    public static func decode(_ data: Data) throws(DecodingError) -> WatchEvent {
        // First pass: the envelope, validating the whole document; the object is read once its type is known.
        let envelope: (type: String, object: Range<Int>?)
        do {
            envelope = try JSONReader.read(data) { reader throws(JSONReader.Failure) in
                var type: String?
                var object: Range<Int>?
                try reader.readObject { reader, key throws(JSONReader.Failure) in
                    switch key {
                    case "type": type = try reader.readRequiredText("type")
                    case "object": object = try reader.skipValue()
                    default: try reader.skipValue()
                    }
                }
                try reader.expectEnd()
                guard let type else { throw reader.failure("no type") }
                return (type, object)
            }
        } catch {
            throw DecodingError(reason: "not a watch event envelope")
        }
        let type = envelope.type
        switch type {
        case "ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR": break
        default: throw DecodingError(reason: "unknown event type \(type)")
        }
        guard let range = envelope.object else { throw DecodingError(reason: "\(type) object does not decode") }
        do {
            return try JSONReader.read(data) { reader throws(JSONReader.Failure) in
                reader = JSONReader(reader.bytes, offset: range.lowerBound)
                switch type {
                case "ADDED": return .added(try EndpointSlice(reading: &reader))
                case "MODIFIED": return .modified(try EndpointSlice(reading: &reader))
                case "DELETED": return .deleted(try EndpointSlice(reading: &reader))
                case "BOOKMARK": return .bookmark(resourceVersion: try bookmarkVersion(&reader))
                default: return .error(try KubernetesStatus(reading: &reader))
                }
            }
        } catch {
            if type == "BOOKMARK", error.message == Self.noBookmarkVersion {
                throw DecodingError(reason: Self.noBookmarkVersion)
            }
            throw DecodingError(reason: "\(type) object does not decode")
        }
    }

    private static let noBookmarkVersion = "bookmark without resourceVersion"

    /// The `metadata.resourceVersion` of a bookmark's object; it must be there and not empty.
    private static func bookmarkVersion(_ reader: inout JSONReader) throws(JSONReader.Failure) -> String {
        var metadata = false
        var version: String?
        try reader.readObject { reader, key throws(JSONReader.Failure) in
            guard key == "metadata" else { return }
            metadata = true
            try reader.readObject { reader, key throws(JSONReader.Failure) in
                if key == "resourceVersion" { version = try reader.readOptionalText() }
            }
        }
        guard metadata else { throw reader.failure("bookmark without metadata") }
        guard let version, !version.isEmpty else { throw reader.failure(noBookmarkVersion) }
        return version
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

    init(metadata: Metadata, items: [EndpointSlice]) {
        self.metadata = metadata
        self.items = items
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try container.decode(Metadata.self, forKey: .metadata)
        items = try container.decodeIfPresent([EndpointSlice].self, forKey: .items) ?? []
    }

    private enum CodingKeys: String, CodingKey { case metadata, items }
}
