import Foundation

/// Names what an unexpected response body looks like, for error messages.
///
/// Only used on failure paths. With `quoting` false nothing of the body is repeated (not even an error message or a
/// key name), for bodies that may carry secrets.
enum ResponseBodySummary {
    /// The error for a body that failed to decode: what it looked like when it is not JSON at all, else the reader's
    /// failure (which never quotes the body beyond a node key).
    static func rejection(
        _ failure: JSONReader.Failure,
        in data: Data,
        api: APISIXDecodingError.API,
        expected: String,
        quoting: Bool = true
    ) -> APISIXDecodingError {
        guard looksLikeJSON(data) else {
            return unrecognized(data, api: api, expected: expected, quoting: quoting)
        }
        return APISIXDecodingError(api, reason: "\(failure.description) (expected \(expected))")
    }

    /// The error for a well-formed body of the wrong shape.
    static func unrecognized(
        _ data: Data,
        api: APISIXDecodingError.API,
        expected: String,
        quoting: Bool = true
    ) -> APISIXDecodingError {
        APISIXDecodingError(api, reason: "expected \(expected), got \(describe(data, quoting: quoting))")
    }

    /// Whether the body starts like a JSON object or array.
    static func looksLikeJSON(_ data: Data) -> Bool {
        guard let first = data.first(where: { !isWhitespace($0) }) else { return false }
        return first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
    }

    static func describe(_ data: Data, quoting: Bool) -> String {
        guard let first = data.first(where: { !isWhitespace($0) }) else { return "an empty body" }
        switch first {
        case UInt8(ascii: "<"):
            guard quoting, let title = htmlTitle(data) else { return "an HTML error page" }
            return "an HTML error page (\(title))"
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            return describeJSON(data, quoting: quoting)
        default:
            guard quoting else { return "a body that is not JSON" }
            let text = String(decoding: data.prefix(512), as: UTF8.self)
            let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            return "a plain-text body \"\(printable(line, limit: 80))\""
        }
    }

    private static func describeJSON(_ data: Data, quoting: Bool) -> String {
        var keys: [String] = []
        var messages: [String] = []
        let kind: JSONReader.Kind
        do {
            kind = try JSONReader.read(data) { reader throws(JSONReader.Failure) -> JSONReader.Kind in
                let kind = try reader.kind()
                guard kind == .object else {
                    try reader.skipValue()
                    try reader.expectEnd()
                    return kind
                }
                try reader.readObject { reader, key throws(JSONReader.Failure) in
                    keys.append(key.text)
                    if ["error_msg", "message", "description"].contains(key.text), try reader.kind() == .string {
                        messages.append(try reader.readString())
                    }
                }
                try reader.expectEnd()
                return kind
            }
        } catch {
            return "malformed JSON (\(error.description))"
        }
        switch kind {
        case .array: return "a JSON array"
        case .object:
            if !messages.isEmpty {
                guard quoting else { return "a JSON error response" }
                return "an error response \"\(printable(messages.joined(separator: ": "), limit: 160))\""
            }
            if keys.isEmpty { return "an empty JSON object" }
            guard quoting else { return "a JSON object without the expected fields" }
            let shown = keys.prefix(6).map { printable($0, limit: 40) }.joined(separator: ", ")
            return "a JSON object with keys \(shown)\(keys.count > 6 ? ", …" : "")"
        default: return "a JSON \(kind)"
        }
    }

    /// The text of `<title>…</title>` near the start of an HTML page.
    private static func htmlTitle(_ data: Data) -> String? {
        let text = String(decoding: data.prefix(2048), as: UTF8.self)
        guard let open = text.range(of: "<title>", options: .caseInsensitive),
            let close = text.range(of: "</title>", options: .caseInsensitive, range: open.upperBound..<text.endIndex)
        else { return nil }
        let title = printable(String(text[open.upperBound..<close.lowerBound]), limit: 80)
        return title.isEmpty ? nil : title
    }

    /// Control characters become spaces; long text is cut with an ellipsis.
    static func printable(_ text: String, limit: Int) -> String {
        let cleaned = String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }
            )
        )
        .trimmingCharacters(in: .whitespaces)
        return cleaned.count > limit ? String(cleaned.prefix(limit)) + "…" : cleaned
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }
}
