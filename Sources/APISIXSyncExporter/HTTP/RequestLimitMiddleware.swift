import Hummingbird
import Synchronization

/// `--web.max-requests`: at most `limit` requests are handled at once; more get 503, as client_golang's
/// `promhttp.HandlerOpts.MaxRequestsInFlight` answers. The probe paths are exempt so that an overloaded exporter is
/// not also restarted by its liveness probe.
struct RequestLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let limit: Int
    let exemptPaths: Set<String>
    private let inFlight = InFlightCounter()

    init(limit: Int, exemptPaths: Set<String> = ["/-/healthy", "/-/ready"]) {
        self.limit = limit
        self.exemptPaths = exemptPaths
    }

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if limit <= 0 || exemptPaths.contains(request.uri.path) { return try await next(request, context) }
        guard inFlight.acquire(limit: limit) else {
            return Response(
                status: .serviceUnavailable,
                headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(
                    byteBuffer: ByteBuffer(
                        string: "Limit of concurrent requests reached (\(limit)), try again later.\n"
                    )
                )
            )
        }
        defer { inFlight.release() }
        return try await next(request, context)
    }
}

/// Requests currently being handled.
final class InFlightCounter: Sendable {
    private let count = Atomic<Int>(0)

    /// Takes a slot unless `limit` are taken.
    func acquire(limit: Int) -> Bool {
        var current = count.load(ordering: .relaxed)
        while current < limit {
            let (exchanged, original) = count.compareExchange(
                expected: current,
                desired: current + 1,
                ordering: .acquiringAndReleasing
            )
            if exchanged { return true }
            current = original
        }
        return false
    }

    func release() {
        count.subtract(1, ordering: .acquiringAndReleasing)
    }
}
