extension FakeAPISIXAdmin {
    /// A failure the fake Admin API can simulate.
    public enum Fault: Sendable, Hashable {
        /// Answer normally.
        case none
        /// Answer with this HTTP status and an APISIX JSON error body `{"error_msg":…}` (as when etcd fails).
        case status(Int)
        /// Answer with this HTTP status, an APISIX JSON error body and `Retry-After: <seconds>` (a rate limit, or a proxy
        /// in front asking clients to wait).
        case throttled(Int, retryAfterSeconds: Int)
        /// Answer with this HTTP status and an nginx-style HTML error page (as a proxy in front would).
        case htmlErrorPage(Int)
        /// Answer 200 with the normal body cut in half, so it is not valid JSON.
        case truncatedJSON
        /// Answer with this HTTP status and a one-line plain-text body that echoes the request's method, path and
        /// headers (the `X-API-KEY` included), as a debugging proxy or a WAF in front might.
        case echoRequestHeaders(Int)
        /// Answer normally after this delay.
        case delay(Duration)
        /// Close the connection as soon as the request arrives, without any response.
        case closeConnection
        /// Stop listening, so connections are refused; open connections are closed. Clearing the fault listens
        /// again on the same port. This fault ignores its scope: it affects every request.
        case refuseConnections
    }

    /// Which requests a ``Fault`` applies to.
    public enum FaultScope: Sendable, Hashable {
        /// The collections: `GET /apisix/admin/{upstreams|services|routes}`, and `GET`/`HEAD
        /// /apisix/admin/configs`.
        case list
        /// Single objects: `GET /apisix/admin/{upstreams|services|routes}/{id}`.
        case single
        /// Both.
        case all
    }
}
