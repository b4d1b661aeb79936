import Foundation

/// One decoded line of any watch stream, before it becomes a ``WatchEvent`` or a ``KubernetesObjectEvent``: the
/// envelope rules live here once.
enum WatchLine<Object> {
    case added(Object)
    case modified(Object)
    case deleted(Object)
    case bookmark(resourceVersion: String)
    case error(KubernetesStatus)

    /// Decodes one newline-free JSON document of a stream, reading an ADDED, MODIFIED or DELETED object with
    /// `object`. Malformed JSON anywhere is "not a watch event envelope"; a well-formed event whose object does not
    /// have the shape of its type is "`<type>` object does not decode"; a BOOKMARK needs `metadata.resourceVersion`.
    static func decode(
        _ data: Data,
        object: (inout JSONReader) throws(JSONReader.Failure) -> Object
    ) throws(WatchEvent.DecodingError) -> WatchLine {
        if let line = decodedInOnePass(data, object: object) { return line }
        return try decodeInTwoPasses(data, object: object)
    }

    /// The line read in one pass, when its `type` comes before its `object` (the API server writes them in that
    /// order), each once, and everything decodes; nil otherwise, and ``decodeInTwoPasses(_:object:)`` reads it
    /// again, from scratch, to the same result or the error it deserves.
    private static func decodedInOnePass(
        _ data: Data,
        object: (inout JSONReader) throws(JSONReader.Failure) -> Object
    ) -> WatchLine? {
        let line = try? JSONReader.read(data) { reader throws(JSONReader.Failure) -> WatchLine? in
            var type: String?
            var line: WatchLine?
            var inOrder = true
            try reader.readObject { reader, key throws(JSONReader.Failure) in
                switch key {
                case "type":
                    if type != nil || line != nil { inOrder = false }
                    type = try reader.readRequiredText("type")
                case "object":
                    guard let type, line == nil, inOrder else {
                        inOrder = false
                        return
                    }
                    line = try read(type, from: &reader, object: object)
                default: try reader.skipValue()
                }
            }
            try reader.expectEnd()
            return inOrder ? line : nil
        }
        return line ?? nil
    }

    /// The object of a line of this type; nil, without reading, for an unknown type.
    private static func read(
        _ type: String,
        from reader: inout JSONReader,
        object: (inout JSONReader) throws(JSONReader.Failure) -> Object
    ) throws(JSONReader.Failure) -> WatchLine? {
        switch type {
        case "ADDED": return .added(try object(&reader))
        case "MODIFIED": return .modified(try object(&reader))
        case "DELETED": return .deleted(try object(&reader))
        case "BOOKMARK": return .bookmark(resourceVersion: try bookmarkVersion(&reader))
        case "ERROR": return .error(try KubernetesStatus(reading: &reader))
        default: return nil
        }
    }

    /// Reads the envelope first, passing over the object, and then the object once its type is known.
    private static func decodeInTwoPasses(
        _ data: Data,
        object: (inout JSONReader) throws(JSONReader.Failure) -> Object
    ) throws(WatchEvent.DecodingError) -> WatchLine {
        // First pass: the envelope; the object is read once its type is known. An object or array is passed over by
        // its structure alone: the second pass reads all of it, strictly.
        let envelope: (type: String, object: Range<Int>?)
        do {
            envelope = try JSONReader.read(data) { reader throws(JSONReader.Failure) in
                var type: String?
                var object: Range<Int>?
                try reader.readObject { reader, key throws(JSONReader.Failure) in
                    switch key {
                    case "type": type = try reader.readRequiredText("type")
                    case "object":
                        let next = reader.peek()
                        let container = next == UInt8(ascii: "{") || next == UInt8(ascii: "[")
                        object = try container ? reader.skipContainer() : reader.skipValue()
                    default: try reader.skipValue()
                    }
                }
                try reader.expectEnd()
                guard let type else { throw reader.failure("no type") }
                return (type, object)
            }
        } catch {
            throw WatchEvent.DecodingError(reason: "not a watch event envelope")
        }
        let type = envelope.type
        switch type {
        case "ADDED", "MODIFIED", "DELETED", "BOOKMARK", "ERROR": break
        default: throw WatchEvent.DecodingError(reason: "unknown event type \(type)")
        }
        guard let range = envelope.object else {
            throw WatchEvent.DecodingError(reason: "\(type) object does not decode")
        }
        do {
            return try JSONReader.read(data) { reader throws(JSONReader.Failure) in
                reader = JSONReader(reader.bytes, offset: range.lowerBound)
                // The type is one of the five known above.
                guard let line = try read(type, from: &reader, object: object) else { throw reader.failure(type) }
                return line
            }
        } catch {
            if type == "BOOKMARK", error.message == noBookmarkVersion {
                throw WatchEvent.DecodingError(reason: noBookmarkVersion)
            }
            throw WatchEvent.DecodingError(reason: "\(type) object does not decode")
        }
    }
}

private let noBookmarkVersion = "bookmark without resourceVersion"

/// The `metadata.resourceVersion` of a bookmark's object; it must be there and not empty.
private func bookmarkVersion(_ reader: inout JSONReader) throws(JSONReader.Failure) -> String {
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
