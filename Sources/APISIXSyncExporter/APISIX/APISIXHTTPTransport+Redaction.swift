import Foundation

extension APISIXHTTPTransport {
    /// Bodies up to this size are searched for the key even when the answer is 200 (single upstreams, small pages
    /// from something that is not APISIX); error answers always are.
    static let redactionScanLimit = 64 * 1024

    /// `body` with every copy of the Admin API key replaced by `(admin key)`: something in front of APISIX (a
    /// debugging proxy, a WAF page) may echo the request's headers, and bodies end up in error messages, logs,
    /// `/api/v1/state` and the status page. Large 200 answers (full lists) are passed through unscanned.
    func redactingKey(in body: Data, status: Int) -> Data {
        guard let apiKey, !apiKey.isEmpty, status != 200 || body.count <= Self.redactionScanLimit else { return body }
        let key = Data(apiKey.utf8)
        guard body.range(of: key) != nil else { return body }
        var redacted = Data()
        var rest = body[...]
        while let range = rest.range(of: key) {
            redacted.append(rest[rest.startIndex..<range.lowerBound])
            redacted.append(contentsOf: Array("(admin key)".utf8))
            rest = rest[range.upperBound...]
        }
        redacted.append(rest)
        return redacted
    }
}
