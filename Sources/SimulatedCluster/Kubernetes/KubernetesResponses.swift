import Foundation
import Hummingbird
import NIOCore

/// Builds the fake API server's HTTP responses.
enum KubernetesResponses {
    /// The headers the API server puts on every response.
    static func headers() -> HTTPFields {
        var headers: HTTPFields = [
            .contentType: "application/json",
            .cacheControl: "no-cache, private",
        ]
        headers.set(named: "Audit-Id", to: UUID().uuidString.lowercased())
        return headers
    }

    /// A 200 response with `document` as its body.
    static func json(_ document: JSONValue) -> Response {
        Response(
            status: .ok,
            headers: self.headers(),
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
