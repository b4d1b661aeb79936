import NIOCore
import NIOHTTP1

/// One complete answer read by an ``AdminHTTPConnection``.
struct AdminHTTPResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    /// The whole body (at most the connection's body limit).
    var body: ByteBuffer
}
