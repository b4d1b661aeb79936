import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One keep-alive HTTP/1.1 connection to an Admin API (plain http, or https through NIOSSL), carrying pipelined
/// requests (see ``AdminHTTPConnectionHandler``).
final class AdminHTTPConnection: Sendable {
    let channel: any Channel
    let handler: NIOLoopBound<AdminHTTPConnectionHandler>

    private init(channel: any Channel, handler: AdminHTTPConnectionHandler) {
        self.channel = channel
        self.handler = NIOLoopBound(handler, eventLoop: channel.eventLoop)
    }

    /// Opens a connection on `eventLoop`, with TLS when `tls` is given (`serverHostname` for SNI and the certificate's
    /// name check; nil for an IP address); answers with bodies above `maxBodyBytes` fail with `tooLarge`.
    static func connect(
        host: String,
        port: Int,
        tls: NIOSSLContext? = nil,
        serverHostname: String? = nil,
        maxBodyBytes: Int,
        connectTimeout: TimeAmount,
        on eventLoop: any EventLoop
    ) -> EventLoopFuture<AdminHTTPConnection> {
        ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: tls, serverHostname: serverHostname)
                        )
                    }
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(
                        AdminHTTPConnectionHandler(maxBodyBytes: maxBodyBytes)
                    )
                }
            }
            .connect(host: host, port: port)
            .flatMapThrowing { channel in
                let handler = try channel.pipeline.syncOperations.handler(type: AdminHTTPConnectionHandler.self)
                return AdminHTTPConnection(channel: channel, handler: handler)
            }
    }

    /// Requests waiting for an answer; on the channel's event loop only.
    var pending: Int { handler.value.pending }
    /// Whether the connection takes requests; on the channel's event loop only.
    var isOpen: Bool { handler.value.isOpen }

    /// Sends one request; the answer (or failure) completes `promise`. Requests sent from the event loop in one
    /// turn leave in one write.
    func send(_ head: HTTPRequestHead, deadline: NIODeadline, promise: EventLoopPromise<AdminHTTPResponse>) {
        let request = AdminHTTPConnectionHandler.Request(head: head, deadline: deadline, promise: promise)
        if channel.eventLoop.inEventLoop {
            handler.value.enqueue(request)
        } else {
            let handler = self.handler
            channel.eventLoop.execute { handler.value.enqueue(request) }
        }
    }

    /// Closes the connection; outstanding requests fail.
    func close() {
        channel.close(promise: nil)
    }
}
