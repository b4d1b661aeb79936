import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization

/// An in-process HTTP/1.1 server whose answers are scripted by the request path, for the Admin API client's
/// connection tests. It reads pipelined requests as they come (no pipelining assistance), so a test can see several
/// requests outstanding on one connection.
///
/// - `/echo/<text>`: 200 with body `<text>`.
/// - `/status/<code>`: that status with a JSON error body.
/// - `/big/<n>`: 200 with `n` bytes and a `Content-Length`; `/chunked/<n>`: the same, chunked.
/// - `/held/<n>/<text>`: answered (200, `<text>`) only once `n` such requests arrived on the connection, in order.
/// - `/cut`: a head promising 100 bytes, 10 bytes, then the connection closes.
/// - `/close/<text>`: 200 with `Connection: close`, then the connection closes.
/// - `/hang`: never answered.
final class ScriptedHTTPServer: Sendable {
    struct Counters: Sendable {
        var connections = 0
        var requests = 0
        var headers: [HTTPHeaders] = []
    }

    let channel: any Channel
    private let box: Box

    var port: Int { channel.localAddress?.port ?? 0 }
    var url: String { "http://127.0.0.1:\(port)" }

    private init(channel: any Channel, box: Box) {
        self.channel = channel
        self.box = box
    }

    /// - Parameter tls: the server's TLS configuration, for an https server (the same scripts behind TLS).
    static func start(tls: TLSConfiguration? = nil) async throws -> ScriptedHTTPServer {
        let box = Box()
        let context = try tls.map { try NIOSSLContext(configuration: $0) }
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                box.counters.withLock { $0.connections += 1 }
                return channel.eventLoop.makeCompletedFuture {
                    if let context {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withPipeliningAssistance: false)
                    try channel.pipeline.syncOperations.addHandler(ScriptedHandler(box: box))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return ScriptedHTTPServer(channel: channel, box: box)
    }

    /// What the server counted so far.
    var seen: Counters { box.counters.withLock { $0 } }

    func stop() async {
        try? await channel.close()
    }

    /// Shared between the server and its connections.
    final class Box: Sendable {
        let counters = Mutex(Counters())
    }
}

/// One connection of a ``ScriptedHTTPServer``.
private final class ScriptedHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let box: ScriptedHTTPServer.Box
    private var path = ""
    private var held: [String] = []

    init(box: ScriptedHTTPServer.Box) {
        self.box = box
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            path = head.uri
            box.counters.withLock {
                $0.requests += 1
                $0.headers.append(head.headers)
            }
        case .body: break
        case .end: answer(context, path)
        }
    }

    private func answer(_ context: ChannelHandlerContext, _ path: String) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        switch (parts.first ?? "", parts.count) {
        case ("echo", 2): respond(context, status: .ok, body: parts[1])
        case ("status", 2):
            respond(context, status: .init(statusCode: Int(parts[1]) ?? 500), body: #"{"error_msg":"scripted"}"#)
        case ("big", 2): respond(context, status: .ok, body: String(repeating: "x", count: Int(parts[1]) ?? 0))
        case ("chunked", 2):
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok))), promise: nil)
            let chunk = ByteBuffer(string: String(repeating: "y", count: 64))
            for _ in 0..<((Int(parts[1]) ?? 0) / 64) {
                context.write(wrapOutboundOut(.body(.byteBuffer(chunk))), promise: nil)
            }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case ("held", 3):
            held.append(parts[2])
            guard held.count >= Int(parts[1]) ?? 1 else { return }
            for text in held { respond(context, status: .ok, body: text) }
            held = []
        case ("cut", 1):
            var headers = HTTPHeaders()
            headers.add(name: "Content-Length", value: "100")
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))),
                promise: nil
            )
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: "0123456789")))), promise: nil)
            context.close(promise: nil)
        case ("close", 2):
            respond(context, status: .ok, body: parts[1], close: true)
            context.close(promise: nil)
        case ("hang", 1): break
        default: respond(context, status: .notFound, body: "no script for \(path)")
        }
    }

    private func respond(
        _ context: ChannelHandlerContext,
        status: HTTPResponseStatus,
        body: String,
        close: Bool = false
    ) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        headers.add(name: "Content-Type", value: "application/json")
        if close { headers.add(name: "Connection", value: "close") }
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))),
            promise: nil
        )
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }
}
