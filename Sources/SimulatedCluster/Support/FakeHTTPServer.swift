import Hummingbird
import Logging
import NIOCore

/// Runs a Hummingbird HTTP/1.1 server for one of the fakes and manages its lifecycle.
///
/// The server can be stopped and started again; a restart can ask for the previously bound port. Stopping closes
/// the listening socket and every open connection (so no request is left hanging), then waits for the server to
/// finish.
actor FakeHTTPServer {
    /// Produces the response to one request.
    typealias Handler = @Sendable (Request, FakeRequestContext) async throws -> Response

    private struct Running {
        let task: Task<(any Error)?, Never>
        let listener: any Channel
        let port: Int
    }

    private enum State {
        case stopped
        case starting
        case running(Running)
    }

    /// How long ``stop()`` waits for in-flight requests (e.g. delayed answers) after closing the connections
    /// before it cancels them.
    private static let stopGracePeriod: Duration = .seconds(1)

    private let host: String
    private let serverName: String?
    private let handler: Handler
    private let logger: Logger
    private let connections = ConnectionTracker()
    private var state: State = .stopped

    init(host: String, serverName: String?, logger: Logger, handler: @escaping Handler) {
        self.host = host
        self.serverName = serverName
        self.logger = logger
        self.handler = handler
    }

    /// The bound port while the server is running.
    var port: Int? {
        if case .running(let running) = self.state {
            return running.port
        }
        return nil
    }

    /// Binds `host:port` (port 0 picks an ephemeral port) and returns the bound port once the server is listening.
    /// Returns the current port when the server is already running.
    func start(port requestedPort: Int) async throws -> Int {
        switch self.state {
        case .running(let running):
            return running.port
        case .starting:
            throw SimulatedClusterError.serverFailedToStart("a start is already in progress")
        case .stopped:
            break
        }
        self.state = .starting
        let (listeners, listenerContinuation) = AsyncStream<any Channel>.makeStream()
        let connections = self.connections
        let application = Application(
            responder: CallbackResponder(callback: self.handler),
            server: .http1(configuration: .init(additionalChannelHandlers: [connections.makeHandler()])),
            configuration: .init(
                address: .hostname(self.host, port: requestedPort),
                serverName: self.serverName,
                reuseAddress: true
            ),
            onServerRunning: { channel in
                listenerContinuation.yield(channel)
                listenerContinuation.finish()
            },
            logger: self.logger
        )
        let logger = self.logger
        let task = Task<(any Error)?, Never> {
            defer { listenerContinuation.finish() }
            do {
                try await application.run()
                return nil
            } catch {
                logger.debug("fake server stopped", metadata: ["reason": "\(error)"])
                return error
            }
        }
        var iterator = listeners.makeAsyncIterator()
        if let listener = await iterator.next(), let port = listener.localAddress?.port {
            self.state = .running(Running(task: task, listener: listener, port: port))
            return port
        }
        task.cancel()
        let error = await task.value
        self.state = .stopped
        throw SimulatedClusterError.serverFailedToStart(
            error.map { "\($0)" } ?? "the server stopped before it was listening on \(self.host):\(requestedPort)"
        )
    }

    /// Stops the server: closes the listening socket and every open connection, and waits until that is done.
    func stop() async {
        guard case .running(let running) = self.state else { return }
        self.state = .stopped
        try? await running.listener.close().get()
        await self.connections.closeAll()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                _ = await running.task.value
            }
            group.addTask {
                // Only cancels the server if the grace period elapses before it finished.
                guard (try? await Task.sleep(for: Self.stopGracePeriod)) != nil else { return }
                running.task.cancel()
            }
            await group.next()
            group.cancelAll()
        }
    }
}
