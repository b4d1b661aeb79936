import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOSSL

/// HTTP/1.1 over TLS whose certificates and client-auth settings come from the current `--web.config.file` for each
/// new connection (HummingbirdTLS fixes one `NIOSSLContext` at start-up, which would make rotation need a restart).
struct ReloadingTLSChannel<BaseChannel: ServerChildChannel>: ServerChildChannel {
    typealias Value = BaseChannel.Value

    let base: BaseChannel
    let store: WebConfigStore

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            guard let tls = store.tlsForNewConnection() else { throw NIOSSLError.noCertificateToValidate }
            try channel.pipeline.syncOperations.addHandler(tls.makeHandler())
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1, over TLS from `store` when its configuration has `tls_server_config`.
    static func exporter(webConfig store: WebConfigStore?) -> HTTPServerBuilder {
        guard let store, store.tlsEnabled else { return .http1() }
        return HTTPServerBuilder { responder in
            ReloadingTLSChannel(base: HTTP1Channel(responder: responder), store: store)
        }
    }
}
