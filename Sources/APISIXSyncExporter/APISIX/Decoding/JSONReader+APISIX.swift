/// Small readers for the value forms APISIX uses in several places.
extension JSONReader {
    /// An id-like value (`id`, `upstream_id`, `service_id`): a string or an integer, as a string; nil for `null` and
    /// `""`. Any other type fails when `strict`, else is skipped as absent.
    mutating func readIdentifier(_ field: String, strict: Bool) throws(Failure) -> String? {
        switch try kind() {
        case .string:
            let text = try readString()
            return text.isEmpty ? nil : text
        case .number:
            let start = offset
            guard let number = try? readInt() else {
                throw Failure(message: "\"\(field)\" is not an integer", offset: start)
            }
            return String(number)
        case .null:
            _ = try readNull()
            return nil
        default:
            if strict { throw failure("\"\(field)\" is not a string or integer") }
            try skipValue()
            return nil
        }
    }

    /// A list of items: an array, `{}` (lua-cjson's encoding of an empty table) or `null`; `body` reads each item.
    mutating func readItems(_ field: String, _ body: (inout JSONReader) throws(Failure) -> Void) throws(Failure) {
        switch try kind() {
        case .array: try readArray(body)
        case .null: _ = try readNull()
        case .object:
            try readObject { reader, _ throws(Failure) in throw reader.failure("\"\(field)\" is not an array") }
        default: throw failure("\"\(field)\" is not an array")
        }
    }

    /// An integer if the next value is a number, nil (skipped) for any other type.
    mutating func readOptionalInt() throws(Failure) -> Int? {
        guard try kind() == .number else {
            try skipValue()
            return nil
        }
        return try? readInt()
    }

    /// The last path segment of the etcd-style key string that is next (see ``keyID(_:)``), built without the
    /// whole key when it has no escapes.
    mutating func readKeyID() throws(Failure) -> String? {
        var ahead = self
        let (raw, start, plain, ascii) = try ahead.scanString()
        // Escapes or non-ASCII bytes: the general path, which unescapes and validates the whole key.
        guard plain, ascii else { return Self.keyID(try readString()) }
        self = ahead
        var end = raw.count
        while end > 0, raw[end - 1] == UInt8(ascii: "/") { end -= 1 }
        var begin = end
        while begin > 0, raw[begin - 1] != UInt8(ascii: "/") { begin -= 1 }
        guard begin < end else { return nil }
        // The scan found the whole key ASCII: the segment needs no second look.
        return String(decoding: UnsafeRawBufferPointer(rebasing: raw[begin..<end]), as: UTF8.self)
    }

    /// The last path segment of an etcd-style key (`/apisix/upstreams/1`, `/upstreams/1` → `1`).
    static func keyID(_ key: String?) -> String? {
        guard var key else { return nil }
        while key.utf8.last == UInt8(ascii: "/") { key.removeLast() }
        guard let slash = key.utf8.lastIndex(of: UInt8(ascii: "/")) else { return key.isEmpty ? nil : key }
        let last = key[key.utf8.index(after: slash)...]
        return last.isEmpty ? nil : String(last)
    }
}
