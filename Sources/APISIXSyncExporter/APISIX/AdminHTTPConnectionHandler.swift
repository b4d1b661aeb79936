import NIOCore
import NIOHTTP1
import NIOSSL

/// The pipelining end of one keep-alive HTTP/1.1 connection: writes requests as they come with one flush per
/// event-loop turn (several GETs per write), matches answers to requests in order (several per read), bounds each
/// body, and times out the oldest outstanding request. Lives on its channel's event loop only.
final class AdminHTTPConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    /// A request waiting for its answer. A promise failed early (the caller was cancelled) stays in line until its
    /// answer arrives, to keep the order; completing it again is a no-op.
    struct Request: Sendable {
        let head: HTTPRequestHead
        let deadline: NIODeadline
        let promise: EventLoopPromise<AdminHTTPResponse>
    }

    /// The answer being read, for the oldest outstanding request.
    private struct Incoming {
        var head: HTTPResponseHead
        var body: ByteBuffer?
        var bytes = 0
        /// The announced `Content-Length`.
        var expected: Int?
    }

    let maxBodyBytes: Int
    private var outstanding = CircularBuffer<Request>(initialCapacity: 16)
    private var incoming: Incoming?
    private var context: ChannelHandlerContext?
    private var flushScheduled = false
    private var timer: Scheduled<Void>?
    private var timerDeadline: NIODeadline?
    private var active = true

    init(maxBodyBytes: Int) {
        self.maxBodyBytes = maxBodyBytes
    }

    /// How many requests wait for an answer.
    var pending: Int { outstanding.count }
    /// Whether new requests are taken (false once closing).
    var isOpen: Bool { active }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        active = false
        failAll(.closedBeforeResponse)
    }

    // MARK: Requests

    /// Writes `request`; the flush happens once the event loop has run every task already queued, so requests
    /// enqueued together leave in one write.
    func enqueue(_ request: Request) {
        guard active, let context else {
            request.promise.fail(AdminHTTPError.closedBeforeResponse)
            return
        }
        outstanding.append(request)
        context.write(wrapOutboundOut(.head(request.head)), promise: nil)
        context.write(wrapOutboundOut(.end(nil)), promise: nil)
        if !flushScheduled {
            flushScheduled = true
            context.eventLoop.assumeIsolated().execute {
                self.flushScheduled = false
                self.context?.flush()
            }
        }
        if outstanding.count == 1 { armTimer() }
    }

    // MARK: Answers

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard active else { return }  // closing: what is still buffered is dropped
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard !outstanding.isEmpty else {
                protocolError(context, "an answer nobody asked for")
                return
            }
            // 1xx informational answers precede the real one.
            if head.status.code >= 100 && head.status.code < 200 && head.status.code != 101 { return }
            incoming = Incoming(head: head)
            let length = head.headers.first(name: "content-length").flatMap(Int.init)
            if let length, length > maxBodyBytes {
                tooLarge(context)
            }
            incoming?.expected = length
        case .body(let part):
            guard var current = incoming else { return }
            current.bytes += part.readableBytes
            if current.bytes > maxBodyBytes {
                tooLarge(context)
                return
            }
            incoming = nil  // so that `body` is uniquely referenced while it grows
            if current.body == nil {
                if let expected = current.expected, expected > part.readableBytes {
                    // A body in several reads (a full list is megabytes): one buffer of the announced size.
                    var body = context.channel.allocator.buffer(capacity: expected)
                    body.writeImmutableBuffer(part)
                    current.body = body
                } else {
                    current.body = part
                }
            } else {
                current.body?.writeImmutableBuffer(part)
            }
            incoming = current
        case .end:
            guard let current = incoming, let first = outstanding.popFirst() else {
                protocolError(context, "an answer nobody asked for")
                return
            }
            incoming = nil
            first.promise.succeed(
                AdminHTTPResponse(
                    status: Int(current.head.status.code),
                    headers: current.head.headers,
                    body: current.body ?? ByteBuffer()
                )
            )
            if !current.head.isKeepAlive {
                // The server closes: requests behind this one were not answered and may be sent again.
                close(context, failing: .closedBeforeResponse)
                return
            }
            armTimer()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        active = false
        failAll(.closedBeforeResponse)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let parser = error as? HTTPParserError, case .invalidEOFState = parser {
            // The server closed the connection: inside an answer that is a cut stream, before one a retry.
            close(context, failing: .closedBeforeResponse)
            return
        }
        if let tls = error as? NIOSSLError, case .uncleanShutdown = tls {
            // The server closed a TLS connection without close_notify: the same as a plain close.
            close(context, failing: .closedBeforeResponse)
            return
        }
        if error is NIOSSLError || error is BoringSSLError {
            guard active else { return }
            close(context, failing: .tls("\(error)"))
            return
        }
        protocolError(context, "\(error)")
    }

    // MARK: Internals

    private func protocolError(_ context: ChannelHandlerContext, _ reason: String) {
        guard active else { return }
        outstanding.popFirst()?.promise.fail(AdminHTTPError.invalidResponse(reason))
        incoming = nil
        close(context, failing: .closedBeforeResponse)
    }

    /// The oldest request's body exceeds the limit: it fails, and rather than reading an unbounded body to the end
    /// the connection is closed; the requests behind it were not answered and may be sent again.
    private func tooLarge(_ context: ChannelHandlerContext) {
        outstanding.popFirst()?.promise.fail(AdminHTTPError.tooLarge(limit: maxBodyBytes))
        incoming = nil
        close(context, failing: .closedBeforeResponse)
    }

    /// Stops taking requests, fails the outstanding ones with `error` and closes the channel.
    private func close(_ context: ChannelHandlerContext, failing error: AdminHTTPError) {
        active = false
        failAll(error)
        context.close(promise: nil)
    }

    /// Fails every outstanding request; the oldest one as cut mid-answer if part of its answer arrived.
    private func failAll(_ error: AdminHTTPError) {
        timer?.cancel()
        timer = nil
        timerDeadline = nil
        var first = true
        while let next = outstanding.popFirst() {
            let midAnswer = first && incoming != nil && error == .closedBeforeResponse
            next.promise.fail(midAnswer ? AdminHTTPError.closedMidResponse : error)
            first = false
        }
        incoming = nil
    }

    /// Schedules the timeout of the oldest request (requests are answered in order: one timer suffices).
    private func armTimer() {
        guard let deadline = outstanding.first?.deadline else {
            timer?.cancel()
            timer = nil
            timerDeadline = nil
            return
        }
        if timerDeadline == deadline { return }
        timer?.cancel()
        timerDeadline = deadline
        guard let context else { return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
            self.timedOut()
        }
    }

    private func timedOut() {
        timer = nil
        timerDeadline = nil
        guard let context, !outstanding.isEmpty else { return }
        // Everything behind the stalled request waits on it: the connection is given up.
        incoming = nil
        close(context, failing: .timeout)
    }
}
