/// An object member's key as ``JSONReader/readObject(_:)`` hands it to its body: matched against string literals
/// (`switch key { case "metadata": … }`, `key == "uid"`) by its bytes, without building a `String`.
///
/// Valid only during the body's call: it points into the document. Keys with escapes or non-ASCII text are validated
/// and decoded when read, as strictly as any string value, and compared by their text.
struct JSONKey: CustomStringConvertible {
    /// The bytes between the quotes.
    private let raw: UnsafeRawBufferPointer
    /// The key's text when its bytes are not plain ASCII (escapes, or UTF-8 already validated).
    private let decoded: String?

    init(raw: UnsafeRawBufferPointer, decoded: String?) {
        self.raw = raw
        self.decoded = decoded
    }

    /// The key as a `String` (for keys that are data, such as label names).
    var text: String { decoded ?? String(decoding: raw, as: UTF8.self) }

    /// The text, so that a key named in an error message reads as itself.
    var description: String { text }

    /// Whether the key's text is `literal`'s.
    static func == (key: JSONKey, literal: StaticString) -> Bool {
        // A literal of more than one character is stored as UTF-8 bytes: compared here without a closure.
        if key.decoded == nil, literal.hasPointerRepresentation {
            return key.hasBytes(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
        }
        return literal.withUTF8Buffer { expected in
            key.decoded.map { $0.utf8.elementsEqual(expected) } ?? key.hasBytes(expected)
        }
    }

    /// Whether the key's bytes between the quotes are `expected`.
    private func hasBytes(_ expected: UnsafeBufferPointer<UInt8>) -> Bool {
        guard expected.count == raw.count else { return false }
        for index in 0..<expected.count where expected[index] != raw[index] { return false }
        return true
    }

    static func != (key: JSONKey, literal: StaticString) -> Bool { !(key == literal) }

    /// Matches a `case "…":` of a `switch` over a key.
    static func ~= (literal: StaticString, key: JSONKey) -> Bool { key == literal }
}
