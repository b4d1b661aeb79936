import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Keep-alive connections to one Admin API (plain http, or https through NIOSSL), with requests pipelined on them:
/// the lean path for the hundreds of single-upstream GETs a second of fast polling (see docs/benchmarks.md, "One HTTP
/// transport": AsyncHTTPClient cost several times the instructions per request).
///
/// A request goes to the connection with the fewest outstanding requests; a new connection is opened when every
/// connection has `pipelineDepth` outstanding, up to `maxConnections`. All state lives on one event loop. A request
/// whose connection closed before any byte of its answer arrived (the server dropped an idle keep-alive connection)
/// is sent once more on a new connection: these are idempotent reads.
final class AdminHTTPConnectionPool: Sendable {
    /// Where and how to connect.
    struct Endpoint: Sendable, Equatable {
        var host: String
        var port: Int
        /// The URL path before `/apisix/admin/...`, without a trailing slash (usually empty).
        var basePath: String
        /// The `Host` header.
        var hostHeader: String
        /// Whether the connections speak TLS (an https URL).
        var tls: Bool

        /// The endpoint of an http or https URL; nil for another scheme or a URL without a host.
        init?(url: String) {
            guard let components = URLComponents(string: url),
                let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
                let host = components.host, !host.isEmpty
            else { return nil }
            tls = scheme == "https"
            let port = components.port ?? (tls ? 443 : 80)
            let bare = host.unbracketedHost
            guard !bare.isEmpty else { return nil }
            self.host = bare
            self.port = port
            var path = components.percentEncodedPath
            while path.hasSuffix("/") { path.removeLast() }
            basePath = path
            hostHeader = bare.contains(":") ? "[\(bare)]:\(port)" : "\(bare):\(port)"
        }

        /// The name TLS sends (SNI) and checks the certificate against; nil for an IP address, which is checked
        /// against the certificate's IP addresses instead.
        var serverHostname: String? {
            (try? SocketAddress(ipAddress: host, port: port)) == nil ? host : nil
        }
    }

    private struct Slot {
        let id: Int
        let connection: EventLoopFuture<AdminHTTPConnection>
        /// Set once connected.
        var connected: AdminHTTPConnection?
        /// Requests handed to the connection before it was connected.
        var sentWhileConnecting = 0
    }

    private struct State {
        var slots: [Slot] = []
        var nextID = 0
        var shutDown = false
    }

    let endpoint: Endpoint
    let maxBodyBytes: Int
    let connectTimeout: TimeAmount
    let pipelineDepth: Int
    let maxConnections: Int
    let eventLoop: any EventLoop
    /// The TLS context of an https endpoint (or why it could not be made: every connection fails with it).
    let tlsContext: Result<NIOSSLContext, any Error>?
    private let state: NIOLoopBoundBox<State>

    /// - Parameter tlsConfiguration: for an https endpoint; by default the system's trust roots and full
    ///   certificate verification.
    init(
        endpoint: Endpoint,
        tlsConfiguration: TLSConfiguration = .makeClientConfiguration(),
        maxBodyBytes: Int,
        connectTimeout: TimeAmount = .seconds(5),
        pipelineDepth: Int = 8,
        maxConnections: Int = 4,
        eventLoop: any EventLoop = MultiThreadedEventLoopGroup.singleton.next()
    ) {
        self.endpoint = endpoint
        self.maxBodyBytes = maxBodyBytes
        self.connectTimeout = connectTimeout
        self.pipelineDepth = max(1, pipelineDepth)
        self.maxConnections = max(1, maxConnections)
        self.eventLoop = eventLoop
        tlsContext = endpoint.tls ? Result { try NIOSSLContext(configuration: tlsConfiguration) } : nil
        state = NIOLoopBoundBox.makeBoxSendingValue(State(), eventLoop: eventLoop)
    }

    /// Sends a request for `path` (below the endpoint's base path) with `headers` (`Host` is added).
    ///
    /// - Returns: the answer's promise; failing it (for instance when the caller is cancelled) abandons the request.
    func execute(
        method: HTTPMethod,
        path: String,
        headers: HTTPHeaders,
        deadline: NIODeadline
    ) -> EventLoopPromise<AdminHTTPResponse> {
        var headers = headers
        headers.replaceOrAdd(name: "Host", value: endpoint.hostHeader)
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: endpoint.basePath + path, headers: headers)
        let promise = eventLoop.makePromise(of: AdminHTTPResponse.self)
        if eventLoop.inEventLoop {
            send(head, deadline: deadline, promise: promise, mayRetry: true)
        } else {
            eventLoop.execute { self.send(head, deadline: deadline, promise: promise, mayRetry: true) }
        }
        return promise
    }

    /// An answer and when it arrived.
    typealias Stamped = (at: Double, response: AdminHTTPResponse)

    /// Sends a GET for each of `paths` in one event-loop turn, pipelined on the connections; the future completes
    /// once every request is done, each answer with the time `stamp` gave as it arrived (one wake-up of the caller
    /// for the whole batch).
    ///
    /// - Returns: the batch's future, and a function that abandons every request of it (for a cancelled caller).
    func getAll(
        _ paths: [String],
        headers: HTTPHeaders,
        deadline: NIODeadline,
        stamp: @escaping @Sendable () -> Double
    ) -> (results: EventLoopFuture<[Result<Stamped, any Error>]>, abandon: @Sendable () -> Void) {
        var headers = headers
        headers.replaceOrAdd(name: "Host", value: endpoint.hostHeader)
        let heads = paths.map {
            HTTPRequestHead(version: .http1_1, method: .GET, uri: endpoint.basePath + $0, headers: headers)
        }
        let promises = heads.map { _ in eventLoop.makePromise(of: AdminHTTPResponse.self) }
        let all = eventLoop.makePromise(of: [Result<Stamped, any Error>].self)
        eventLoop.execute {
            let stamped = promises.map { promise in
                promise.futureResult.assumeIsolated()
                    .map { response in (at: stamp(), response: response) }
                    .nonisolated()
            }
            for (head, promise) in zip(heads, promises) {
                self.send(head, deadline: deadline, promise: promise, mayRetry: true)
            }
            EventLoopFuture.whenAllComplete(stamped, on: self.eventLoop).cascade(to: all)
        }
        return (all.futureResult, { for promise in promises { promise.fail(AdminHTTPError.cancelled) } })
    }

    /// Closes every connection; later requests fail.
    func shutdown() {
        eventLoop.execute {
            self.state.value.shutDown = true
            for slot in self.state.value.slots {
                slot.connection.whenSuccess { $0.close() }
            }
        }
    }

    /// How many connections are open or opening (for tests).
    func connectionCount() -> EventLoopFuture<Int> {
        eventLoop.submit { self.state.value.slots.count }
    }

    // MARK: On the event loop

    private func send(
        _ head: HTTPRequestHead,
        deadline: NIODeadline,
        promise: EventLoopPromise<AdminHTTPResponse>,
        mayRetry: Bool
    ) {
        guard !state.value.shutDown else {
            promise.fail(AdminHTTPError.cancelled)
            return
        }
        let index = slotIndex()
        guard mayRetry else {
            dispatch(head, deadline: deadline, promise: promise, to: index)
            return
        }
        // A second promise only to see `closedBeforeResponse` and try again; the caller's is completed once.
        let attempt = eventLoop.makePromise(of: AdminHTTPResponse.self)
        dispatch(head, deadline: deadline, promise: attempt, to: index)
        attempt.futureResult.assumeIsolated().whenComplete { result in
            switch result {
            case .success(let response): promise.succeed(response)
            case .failure(AdminHTTPError.closedBeforeResponse) where NIODeadline.now() < deadline:
                self.send(head, deadline: deadline, promise: promise, mayRetry: false)
            case .failure(let error): promise.fail(error)
            }
        }
    }

    private func dispatch(
        _ head: HTTPRequestHead,
        deadline: NIODeadline,
        promise: EventLoopPromise<AdminHTTPResponse>,
        to index: Int
    ) {
        let slot = state.value.slots[index]
        if let connection = slot.connected {
            connection.send(head, deadline: deadline, promise: promise)
        } else {
            state.value.slots[index].sentWhileConnecting += 1
            slot.connection.assumeIsolated().whenComplete { result in
                switch result {
                case .success(let connection): connection.send(head, deadline: deadline, promise: promise)
                case .failure(let error): promise.fail(error)
                }
            }
        }
    }

    /// The least busy connection, or a new one when all are `pipelineDepth` deep and there is room.
    private func slotIndex() -> Int {
        var best: Int?
        var bestLoad = Int.max
        for (index, slot) in state.value.slots.enumerated() where slot.connected?.isOpen ?? true {
            let load = slot.connected?.pending ?? slot.sentWhileConnecting
            if load < bestLoad {
                best = index
                bestLoad = load
            }
        }
        if let best, bestLoad < pipelineDepth || state.value.slots.count >= maxConnections { return best }
        return openSlot()
    }

    private func openSlot() -> Int {
        let id = state.value.nextID
        state.value.nextID += 1
        let connection: EventLoopFuture<AdminHTTPConnection>
        switch tlsContext {
        case .failure(let error):
            connection = eventLoop.makeFailedFuture(AdminHTTPError.tls("\(error)"))
        case .success(let context):
            connection = AdminHTTPConnection.connect(
                host: endpoint.host,
                port: endpoint.port,
                tls: context,
                serverHostname: endpoint.serverHostname,
                maxBodyBytes: maxBodyBytes,
                connectTimeout: connectTimeout,
                on: eventLoop
            )
        case nil:
            connection = AdminHTTPConnection.connect(
                host: endpoint.host,
                port: endpoint.port,
                maxBodyBytes: maxBodyBytes,
                connectTimeout: connectTimeout,
                on: eventLoop
            )
        }
        state.value.slots.append(Slot(id: id, connection: connection))
        connection.assumeIsolated().whenComplete { result in
            switch result {
            case .success(let connected):
                if let index = self.state.value.slots.firstIndex(where: { $0.id == id }) {
                    self.state.value.slots[index].connected = connected
                }
                if self.state.value.shutDown { connected.close() }
                connected.channel.closeFuture.assumeIsolated().whenComplete { _ in self.remove(id) }
            case .failure:
                self.remove(id)
            }
        }
        return state.value.slots.count - 1
    }

    private func remove(_ id: Int) {
        state.value.slots.removeAll { $0.id == id }
    }
}
