/// An ordered JSON document used to produce wire bytes.
///
/// The fakes deliberately do not use `Codable` models shared with the exporter: they build the documents
/// field by field, in the order the real servers emit them, so that end-to-end tests exercise the exporter's
/// decoders against an independent encoding.
enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    /// An object built from `(key, value?)` pairs, skipping the pairs whose value is `nil`.
    static func object(omittingNil fields: [(String, JSONValue?)]) -> JSONValue {
        .object(fields.compactMap { key, value in value.map { (key, $0) } })
    }

    /// A string-to-string map with its keys sorted, so that output is deterministic.
    static func stringMap(_ map: [String: String]) -> JSONValue {
        .object(map.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
    }
}

/// How strings are escaped when a ``JSONValue`` is serialised.
struct JSONEscaping: OptionSet, Sendable {
    let rawValue: Int

    /// Escape `/` as `\/`, as lua-cjson (and therefore APISIX) does by default.
    static let forwardSlash = JSONEscaping(rawValue: 1 << 0)
    /// Escape `<`, `>`, `&`, U+2028 and U+2029 as `\uXXXX`, as Go's `encoding/json` (and therefore the
    /// Kubernetes API server) does by default.
    static let html = JSONEscaping(rawValue: 1 << 1)

    /// The escaping used by the Kubernetes API server.
    static let go: JSONEscaping = [.html]
    /// The escaping used by APISIX.
    static let luaCJSON: JSONEscaping = [.forwardSlash]
}

extension JSONValue {
    /// The compact UTF-8 serialisation of this value.
    func serialized(escaping: JSONEscaping) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(256)
        self.write(into: &output, escaping: escaping)
        return output
    }

    /// Appends the compact UTF-8 serialisation of this value to `output`.
    func write(into output: inout [UInt8], escaping: JSONEscaping) {
        switch self {
        case .null:
            output.append(contentsOf: Array("null".utf8))
        case .bool(let value):
            output.append(contentsOf: Array((value ? "true" : "false").utf8))
        case .int(let value):
            output.append(contentsOf: Array(String(value).utf8))
        case .string(let value):
            Self.writeString(value, into: &output, escaping: escaping)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                element.write(into: &output, escaping: escaping)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let fields):
            output.append(UInt8(ascii: "{"))
            for (index, (key, value)) in fields.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                Self.writeString(key, into: &output, escaping: escaping)
                output.append(UInt8(ascii: ":"))
                value.write(into: &output, escaping: escaping)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static let htmlSensitiveScalars: Set<Unicode.Scalar> = ["<", ">", "&", "\u{2028}", "\u{2029}"]

    private static func writeString(_ string: String, into output: inout [UInt8], escaping: JSONEscaping) {
        output.append(UInt8(ascii: "\""))
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": output.append(contentsOf: [0x5C, 0x22])
            case "\\": output.append(contentsOf: [0x5C, 0x5C])
            case "\n": output.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case "\r": output.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case "\t": output.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case "\u{08}": output.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case "\u{0C}": output.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case "/" where escaping.contains(.forwardSlash):
                output.append(contentsOf: [0x5C, UInt8(ascii: "/")])
            case _ where escaping.contains(.html) && htmlSensitiveScalars.contains(scalar):
                writeUnicodeEscape(scalar.value, into: &output)
            default:
                if scalar.value < 0x20 {
                    writeUnicodeEscape(scalar.value, into: &output)
                } else {
                    UTF8.encode(scalar) { output.append($0) }
                }
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    private static func writeUnicodeEscape(_ value: UInt32, into output: inout [UInt8]) {
        let hexDigits = Array("0123456789abcdef".utf8)
        output.append(contentsOf: [0x5C, UInt8(ascii: "u")])
        for shift in stride(from: 12, through: 0, by: -4) {
            output.append(hexDigits[Int((value >> UInt32(shift)) & 0xF)])
        }
    }
}
