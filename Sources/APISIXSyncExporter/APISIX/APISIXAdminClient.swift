import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// Reads what one APISIX Admin API routes to: etcd mode (v2 or v3 envelope, detected per response) or API-driven
/// standalone mode; see `APISIXAdminClient+Shapes.swift`.
///
/// Plain-http targets are read through keep-alive, pipelined connections of its own (``AdminHTTPConnectionPool``);
/// https targets through the given `HTTPClient`.
public struct APISIXAdminClient: Sendable, CustomStringConvertible, CustomReflectable {
    public let target: APISIXTarget
    /// Where requests go: the target's Admin API, or its Control API for a client made by ``controlAPI()``.
    let baseURL: String
    let http: HTTPClient
    let apiKey: String?
    let maxResponseBytes: Int
    let requestTimeout: TimeAmount
    /// True for a client of the target's Control API (made by ``controlAPI()``): other paths for single objects.
    let isControlAPI: Bool
    /// Connections for a plain-http target; nil for https.
    let pool: AdminHTTPConnectionPool?
    /// `Accept` and `X-API-KEY`, the headers of every request.
    let headers: HTTPHeaders

    public init(
        target: APISIXTarget,
        http: HTTPClient,
        apiKey: String?,
        maxResponseBytes: Int,
        requestTimeout: TimeAmount = .seconds(10)
    ) {
        self.target = target
        self.baseURL = target.adminURL ?? ""
        self.isControlAPI = false
        self.http = http
        self.apiKey = apiKey
        self.maxResponseBytes = maxResponseBytes
        self.requestTimeout = requestTimeout
        var headers = HTTPHeaders([("Accept", "application/json")])
        if let apiKey { headers.add(name: "X-API-KEY", value: apiKey) }
        self.headers = headers
        pool = AdminHTTPConnectionPool.Endpoint(url: baseURL).map {
            AdminHTTPConnectionPool(endpoint: $0, maxBodyBytes: maxResponseBytes)
        }
    }

    /// Closes the client's own connections (plain-http targets); the `HTTPClient` is the caller's to shut down.
    public func shutdown() {
        pool?.shutdown()
    }

    /// A client of the same target's Control API (no API key: the Control API has none), or nil without one. It
    /// has connections of its own: shut it down too.
    public func controlAPI() -> APISIXAdminClient? {
        guard let controlURL = target.controlURL else { return nil }
        return APISIXAdminClient(self, baseURL: controlURL)
    }

    private init(_ other: APISIXAdminClient, baseURL: String) {
        self.target = other.target
        self.baseURL = baseURL
        self.isControlAPI = true
        self.http = other.http
        self.apiKey = nil
        self.maxResponseBytes = other.maxResponseBytes
        self.requestTimeout = other.requestTimeout
        self.headers = HTTPHeaders([("Accept", "application/json")])
        self.pool = AdminHTTPConnectionPool.Endpoint(url: baseURL).map {
            AdminHTTPConnectionPool(endpoint: $0, maxBodyBytes: other.maxResponseBytes)
        }
    }

    /// The target only: the API key never appears in descriptions, dumps or logs.
    public var description: String { "APISIXAdminClient(\(target.name))" }
    public var customMirror: Mirror { Mirror(self, children: ["target": target.name]) }

    /// `GET /apisix/admin/upstreams/{id}`; nil when APISIX answers 404 (the upstream is gone).
    public func upstream(id: String) async throws(SourceFailure) -> APISIXUpstream? {
        let escaped = id.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? id
        let data: Data
        do {
            data = try await get("/apisix/admin/upstreams/\(escaped)")
        } catch let failure where failure.reason == .notFound && failure.message.contains("Key not found") {
            return nil
        }
        do {
            return try AdminAPIDecoder.decodeUpstream(data)
        } catch {
            throw SourceFailure(.badResponse, error.description)
        }
    }

    /// One GET with the body accumulated on the event loop (the future-based API: one hop back to the caller per
    /// request, which matters at hundreds of fast polls a second); cancelling the calling task cancels the request.
    /// Fails unless the answer is 200.
    func get(_ path: String) async throws(SourceFailure) -> Data {
        let response = try await fetch(path)
        guard response.status == 200 else {
            throw SourceFailure.http(
                status: response.status,
                headers: response.headers,
                "HTTP \(response.status) from \(path): \(Self.summary(of: response.body))"
            )
        }
        return response.body
    }

    /// One request of any status; transport failures and oversized bodies throw.
    func fetch(
        _ path: String,
        method: HTTPMethod = .GET
    ) async throws(SourceFailure) -> (status: Int, headers: HTTPHeaders, body: Data) {
        if let pool { return try await fetch(path, method: method, on: pool) }
        let request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(url: baseURL + path, method: method, headers: headers)
        } catch {
            throw SourceFailure(.clientError, "invalid request URL for \(path)")
        }
        let delegate = ResponseAccumulator(request: request, maxBodySize: maxResponseBytes)
        let response: HTTPClient.Response
        do {
            let task = http.execute(request: request, delegate: delegate, deadline: .now() + requestTimeout)
            response = try await withTaskCancellationHandler {
                try await task.futureResult.get()
            } onCancel: {
                task.cancel()
            }
        } catch is ResponseAccumulator.ResponseTooBigError {
            throw SourceFailure(.tooLarge, "response body larger than \(maxResponseBytes) bytes")
        } catch {
            throw SourceFailure.classify(error)
        }
        // No copy: a full list is megabytes, and the copy doubled the refresh's peak memory.
        let body =
            response.body.flatMap {
                $0.getData(at: $0.readerIndex, length: $0.readableBytes, byteTransferStrategy: .noCopy)
            } ?? Data()
        let status = Int(response.status.code)
        return (status, response.headers, redactingKey(in: body, status: status))
    }

    /// ``fetch(_:method:)`` on the client's own keep-alive connections.
    private func fetch(
        _ path: String,
        method: HTTPMethod,
        on pool: AdminHTTPConnectionPool
    ) async throws(SourceFailure) -> (status: Int, headers: HTTPHeaders, body: Data) {
        let response: AdminHTTPResponse
        do {
            let promise = pool.execute(method: method, path: path, headers: headers, deadline: .now() + requestTimeout)
            response = try await withTaskCancellationHandler {
                try await promise.futureResult.get()
            } onCancel: {
                promise.fail(AdminHTTPError.cancelled)
            }
        } catch let error as AdminHTTPError {
            throw error.failure
        } catch {
            throw SourceFailure.classify(error)
        }
        let body = response.body
        let data = body.getData(at: body.readerIndex, length: body.readableBytes, byteTransferStrategy: .noCopy)
        return (response.status, response.headers, redactingKey(in: data ?? Data(), status: response.status))
    }

    /// A short, printable summary of an error body (`error_msg`/`message` of a JSON error, else its first line).
    static func summary(of body: Data) -> String {
        if let object = try? JSONSerialization.jsonObject(with: body) as? [String: Any] {
            let parts = ["error_msg", "message", "description"].compactMap { object[$0] as? String }
            if !parts.isEmpty { return String(parts.joined(separator: ": ").prefix(200)) }
        }
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        return line.isEmpty
            ? "(empty body)" : (text.contains("<html") || text.contains("<HTML") ? "HTML error page" : line)
    }
}
