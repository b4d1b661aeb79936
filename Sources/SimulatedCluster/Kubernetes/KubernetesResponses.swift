import Foundation
import Hummingbird
import NIOCore

/// Builds the fake API server's HTTP responses.
enum KubernetesResponses {
    /// The headers the API server puts on every response.
    static func headers(contentType: String = "application/json") -> HTTPFields {
        var headers: HTTPFields = [
            .contentType: contentType,
            .cacheControl: "no-cache, private",
        ]
        headers.set(named: "Audit-Id", to: UUID().uuidString.lowercased())
        return headers
    }

    /// A 200 response with `document` as its body.
    static func json(_ document: JSONValue, contentType: String = "application/json") -> Response {
        Response(
            status: .ok,
            headers: self.headers(contentType: contentType),
            body: .init(byteBuffer: ByteBuffer(bytes: document.serialized(escaping: KubernetesWire.escaping)))
        )
    }

    /// An error response with `status` as its body (and `Retry-After` when set).
    static func status(_ status: KubernetesStatus) -> Response {
        var headers = self.headers()
        if let retryAfter = status.retryAfterSeconds {
            headers[.retryAfter] = String(retryAfter)
        }
        return Response(
            status: HTTPResponse.Status(code: status.code),
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: status.json.serialized(escaping: KubernetesWire.escaping)))
        )
    }
}
