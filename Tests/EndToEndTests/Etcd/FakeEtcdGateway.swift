import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A scripted stand-in for etcd's v3 JSON gateway, for faults a real etcd does not make on demand: `/v3/kv/range`
/// answers one upstream at revision 5; the first `/v3/watch` sends `created`, one event (revision 6) and half of the
/// next message, then cuts the connection; later watches send `created` and stay open. It records each watch's
/// request body.
final class FakeEtcdGateway: Sendable {
    let channel: any Channel
    let box: Box

    var endpoint: String { "http://127.0.0.1:\(channel.localAddress?.port ?? 0)" }

    final class Box: Sendable {
        let watchBodies = Mutex<[String]>([])
    }

    static func b64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
    static let header = #"{"cluster_id":"1","member_id":"2","revision":"%REV%","raft_term":"2"}"#

    static func kv(_ nodes: [Int], revision: Int) -> String {
        let value =
            #"{"id":"web","name":"shop_web_8080","nodes":{"#
            + nodes.map { #""10.2.0.\#($0):8080":1"# }.joined(separator: ",") + "}}"
        return #"{"key":"\#(b64("/apisix/upstreams/web"))","create_revision":"2","mod_revision":"\#(revision)","#
            + #""version":"1","value":"\#(b64(value))"}"#
    }

    static func withRevision(_ text: String, _ revision: Int) -> String {
        text.replacingOccurrences(of: "%REV%", with: String(revision))
    }

    static func start() async throws -> FakeEtcdGateway {
        let box = Box()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withPipeliningAssistance: false)
                    try channel.pipeline.syncOperations.addHandler(FakeEtcdHandler(box: box))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return FakeEtcdGateway(channel: channel, box: box)
    }

    private init(channel: any Channel, box: Box) {
        self.channel = channel
        self.box = box
    }

    func stop() async {
        try? await channel.close()
    }
}

private final class FakeEtcdHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let box: FakeEtcdGateway.Box
    private var uri = ""
    private var body = ""

    init(box: FakeEtcdGateway.Box) {
        self.box = box
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            uri = head.uri
            body = ""
        case .body(let buffer): body += String(buffer: buffer)
        case .end: answer(context)
        }
    }

    private func answer(_ context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        switch uri {
        case "/v3/kv/range":
            let text =
                #"{"header":\#(FakeEtcdGateway.withRevision(FakeEtcdGateway.header, 5)),"kvs":["#
                + FakeEtcdGateway.kv([1, 2], revision: 5) + #"],"count":"1"}"#
            headers.add(name: "Content-Length", value: String(text.utf8.count))
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))),
                promise: nil
            )
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case "/v3/watch":
            let first = box.watchBodies.withLock { bodies in
                bodies.append(body)
                return bodies.count == 1
            }
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))),
                promise: nil
            )
            var text =
                #"{"result":{"header":\#(FakeEtcdGateway.withRevision(FakeEtcdGateway.header, 5)),"created":true}}"#
                + "\n"
            if first {
                text +=
                    #"{"result":{"header":\#(FakeEtcdGateway.withRevision(FakeEtcdGateway.header, 6)),"events":[{"kv":"#
                    + FakeEtcdGateway.kv([1], revision: 6) + "}]}}\n"
                text += #"{"result":{"header":{"cluster_id":"1","#  // cut here
            }
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
            if first { context.close(promise: nil) }
        default:
            let text = #"{"error":"Not Found","code":5,"message":"Not Found"}"#
            headers.add(name: "Content-Length", value: String(text.utf8.count))
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .notFound, headers: headers))),
                promise: nil
            )
            context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
