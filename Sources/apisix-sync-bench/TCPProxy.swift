import NIOCore
import NIOPosix
import Synchronization

/// A TCP proxy on loopback in front of one port. The accuracy benchmark puts it between the exporter and etcd to take
/// etcd away from the exporter alone (the mirror keeps writing): ``down(_:)`` closes every connection and refuses new
/// ones until it is called again with false.
final class TCPProxy: Sendable {
    private let listener = Mutex<(any Channel)?>(nil)
    private let state = Mutex<(down: Bool, connections: [ObjectIdentifier: any Channel])>((false, [:]))

    private init() {}

    /// The loopback port it listens on.
    var port: Int { listener.withLock { $0?.localAddress?.port ?? 0 } }

    /// Listens on a free loopback port and forwards each connection to `127.0.0.1:targetPort`.
    static func start(to targetPort: Int) async throws -> TCPProxy {
        let proxy = TCPProxy()
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.autoRead, value: false)  // nothing is read before the other side is connected
            .childChannelInitializer { inbound in
                guard proxy.accept(inbound) else { return inbound.close() }
                return ClientBootstrap(group: inbound.eventLoop)
                    .connect(host: "127.0.0.1", port: targetPort)
                    .flatMapThrowing { outbound in
                        let (inboundGlue, outboundGlue) = GlueHandler.matchedPair()
                        try inbound.pipeline.syncOperations.addHandler(inboundGlue)
                        try outbound.pipeline.syncOperations.addHandler(outboundGlue)
                        try inbound.syncOptions?.setOption(.autoRead, value: true)
                    }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        proxy.listener.withLock { $0 = listener }
        return proxy
    }

    /// Whether to forward `channel`; remembers it until it closes.
    private func accept(_ channel: any Channel) -> Bool {
        let id = ObjectIdentifier(channel)
        let accepted = state.withLock { state in
            if state.down { return false }
            state.connections[id] = channel
            return true
        }
        if accepted {
            channel.closeFuture.whenComplete { [self] _ in _ = state.withLock { $0.connections.removeValue(forKey: id) }
            }
        }
        return accepted
    }

    /// Down: closes every connection and refuses new ones; up: forwards again.
    func down(_ down: Bool) {
        let open = state.withLock { state in
            state.down = down
            return down ? Array(state.connections.values) : []
        }
        for channel in open { channel.close(promise: nil) }
    }

    func stop() {
        down(true)
        listener.withLock { $0?.close(promise: nil) }
    }
}

/// Forwards what one channel reads to its partner and closes the partner when it closes (both on one event loop).
private final class GlueHandler: ChannelDuplexHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    private var partner: GlueHandler?
    private var context: ChannelHandlerContext?

    static func matchedPair() -> (GlueHandler, GlueHandler) {
        let first = GlueHandler()
        let second = GlueHandler()
        first.partner = second
        second.partner = first
        return (first, second)
    }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        partner = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) { partner?.context?.write(data, promise: nil) }

    func channelReadComplete(context: ChannelHandlerContext) { partner?.context?.flush() }

    func channelInactive(context: ChannelHandlerContext) { partner?.context?.close(promise: nil) }

    func errorCaught(context: ChannelHandlerContext, error: any Error) { context.close(promise: nil) }
}
