import Foundation
import NIOCore
import NIOHTTP1

/// Reads what one APISIX Admin API routes to: etcd mode (v2 or v3 envelope, detected per response) or API-driven
/// standalone mode; see `APISIXAdminClient+Shapes.swift`. The target's Control API has a client of its own
/// (``controlAPI()``, ``APISIXControlClient``).
public struct APISIXAdminClient: APISIXUpstreamReader, CustomStringConvertible, CustomReflectable {
    public let target: APISIXTarget
    /// The requests to the target's Admin API (with the key).
    let transport: APISIXHTTPTransport

    public init(
        target: APISIXTarget,
        apiKey: String?,
        maxResponseBytes: Int,
        requestTimeout: TimeAmount = .seconds(10)
    ) {
        self.target = target
        transport = APISIXHTTPTransport(
            baseURL: target.adminURL ?? "",
            apiKey: apiKey,
            maxResponseBytes: maxResponseBytes,
            requestTimeout: requestTimeout
        )
    }

    /// Closes the client's connections.
    public func shutdown() {
        transport.shutdown()
    }

    /// A client of the same target's Control API (no API key: the Control API has none), or nil without one. It
    /// has connections of its own: shut it down too.
    public func controlAPI() -> APISIXControlClient? {
        guard let controlURL = target.controlURL else { return nil }
        return APISIXControlClient(
            target: target,
            transport: APISIXHTTPTransport(
                baseURL: controlURL,
                apiKey: nil,
                maxResponseBytes: transport.maxResponseBytes,
                requestTimeout: transport.requestTimeout,
                tlsConfiguration: transport.tlsConfiguration
            )
        )
    }

    /// The target only: the API key never appears in descriptions, dumps or logs.
    public var description: String { "APISIXAdminClient(\(target.name))" }
    public var customMirror: Mirror { Mirror(self, children: ["target": target.name]) }

    /// `GET /apisix/admin/upstreams/{id}`; nil when APISIX answers 404 (the upstream is gone).
    public func upstream(id: String) async throws(SourceFailure) -> APISIXUpstream? {
        let escaped = id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? id
        let data: Data
        do {
            data = try await transport.get("/apisix/admin/upstreams/\(escaped)")
        } catch let failure where failure.reason == .notFound && failure.message.contains("Key not found") {
            return nil
        }
        do {
            return try AdminAPIDecoder.decodeUpstream(data)
        } catch {
            throw SourceFailure(.badResponse, error.description)
        }
    }

    /// `/apisix/admin/upstreams/<id>`, or the route or service holding an inline upstream.
    func inUsePath(_ id: String) -> String {
        let (kind, objectID) = APISIXUpstreamID.split(id)
        return "/apisix/admin/\(kind ?? "upstream")s/\(APISIXUpstreamID.escapePathSegment(objectID))"
    }

    /// A plain upstream that is gone answers 404 "Key not found"; a route or service "... not found".
    func goneMessage(kind: String?) -> String { kind == nil ? "Key not found" : "not found" }

    func decodeUpstream(
        _ body: Data,
        reusing previous: [String: APISIXUpstream]
    ) throws(SourceFailure) -> APISIXUpstream {
        do {
            return try AdminAPIDecoder.decodeUpstream(body, reusing: previous)
        } catch {
            throw SourceFailure(.badResponse, error.description)
        }
    }
}
