import NIOCore
import Synchronization

/// Keeps track of a server's open connections, so that they can be closed when the server stops.
final class ConnectionTracker: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    /// A channel handler to put in every connection's pipeline; it registers the connection until it closes.
    func makeHandler() -> any RemovableChannelHandler {
        Handler(tracker: self)
    }

    /// Closes every open connection.
    func closeAll() async {
        let open = self.channels.withLock { Array($0.values) }
        for channel in open {
            try? await channel.close().get()
        }
    }

    private func register(_ channel: any Channel) {
        let id = ObjectIdentifier(channel)
        self.channels.withLock { $0[id] = channel }
        channel.closeFuture.whenComplete { _ in
            _ = self.channels.withLock { $0.removeValue(forKey: id) }
        }
    }

    /// A pass-through handler that registers its channel when it is added to the pipeline.
    private final class Handler: ChannelInboundHandler, RemovableChannelHandler, Sendable {
        typealias InboundIn = NIOAny

        let tracker: ConnectionTracker

        init(tracker: ConnectionTracker) {
            self.tracker = tracker
        }

        func handlerAdded(context: ChannelHandlerContext) {
            self.tracker.register(context.channel)
        }
    }
}
