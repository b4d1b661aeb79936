import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Lists and watches EndpointSlices (and the pods and ReplicaSets behind them) over the Kubernetes REST API.
public struct KubernetesClient: Sendable {
    public let connection: KubernetesConnection
    let http: HTTPClient
    let maxResponseBytes: Int
    /// Page size of lists (`limit`).
    public var pageSize = 500
    /// How long one list page may take.
    public var listTimeout: TimeAmount = .seconds(60)

    public init(connection: KubernetesConnection, http: HTTPClient, maxResponseBytes: Int = 256 * 1024 * 1024) {
        self.connection = connection
        self.http = http
        self.maxResponseBytes = maxResponseBytes
    }

    /// The HTTP client settings for `connection`: its TLS and its TLS server name's DNS override, HTTP/1.1 only (one
    /// watch per connection, no HTTP/2 stream limits), reads idle for up to 150 s.
    public static func httpConfiguration(for connection: KubernetesConnection) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: connection.tlsConfiguration,
            timeout: .init(connect: .seconds(10), read: .seconds(150))
        )
        configuration.httpVersion = .http1Only
        configuration.dnsOverride = connection.dnsOverride
        return configuration
    }

    /// The EndpointSlice collection path, cluster-wide or in one namespace.
    static func path(namespace: String?) -> String {
        KubernetesResource.endpointSlices.path(namespace: namespace)
    }

    /// Lists every slice, following `continue` tokens; returns the slices and the list's resourceVersion.
    ///
    /// - Parameter labelSelector: a Kubernetes label selector (`labelSelector=`), nil for every slice.
    public func list(
        namespace: String?,
        labelSelector: String? = nil
    ) async throws(SourceFailure) -> (slices: [EndpointSlice], resourceVersion: String) {
        var slices: [EndpointSlice] = []
        let resourceVersion = try await listSlices(namespace: namespace, labelSelector: labelSelector) { page, _ in
            slices += page
        }
        return (slices, resourceVersion)
    }

    /// Lists every slice page by page (``listPages(path:labelSelector:what:decode:page:)``); returns the list's
    /// resourceVersion.
    public func listSlices(
        namespace: String?,
        labelSelector: String? = nil,
        targetReferences: Bool = true,
        page consume: ([EndpointSlice], _ first: Bool) async -> Void
    ) async throws(SourceFailure) -> String {
        try await listPages(
            path: Self.path(namespace: namespace),
            labelSelector: labelSelector,
            what: "EndpointSlice",
            decode: { data throws(JSONReader.Failure) in
                try EndpointSliceList.page(data, targetReferences: targetReferences)
            },
            page: consume
        )
    }

    /// Lists a collection page by page (`limit`/`continue`), handing each decoded page to `page` as it arrives
    /// (`first` is true for the first page), and returns the list's resourceVersion. A consumer that folds pages into
    /// its own compact form never holds the whole list (100,000 pods as decoded objects were 50 MB at once).
    ///
    /// - Parameters:
    ///   - path: the collection path, e.g. `/api/v1/pods`.
    ///   - what: the kind, named in errors.
    ///   - decode: decodes one page.
    public func listPages<Object: Sendable>(
        path: String,
        labelSelector: String? = nil,
        what: String,
        decode: (Data) throws -> KubernetesObjectPage<Object>,
        page consume: ([Object], _ first: Bool) async -> Void
    ) async throws(SourceFailure) -> String {
        var token: String?
        var resourceVersion = ""
        var first = true
        repeat {
            var query = [("limit", String(pageSize))]
            if let labelSelector { query.append(("labelSelector", labelSelector)) }
            if let token { query.append(("continue", token)) }
            let response = try await send(path: path, query: query, timeout: listTimeout)
            let body = try await response.collectBody(upTo: maxResponseBytes)
            guard response.status == .ok else {
                throw Self.failure(status: response.status, headers: response.headers, body: body)
            }
            let page: KubernetesObjectPage<Object>
            do {
                page = try decode(body)
            } catch {
                throw SourceFailure(.badResponse, "\(what) list does not decode")
            }
            await consume(page.items, first)
            first = false
            resourceVersion = page.resourceVersion ?? resourceVersion
            token = page.continueToken.flatMap { $0.isEmpty ? nil : $0 }
        } while token != nil
        // Without a resourceVersion the watch starts from "now" with synthetic ADDED events for what exists, which
        // the consumers absorb as no-ops.
        return resourceVersion
    }

    /// Lists every object of a collection, following `continue` tokens; returns the objects and the list's
    /// resourceVersion.
    ///
    /// - Parameters:
    ///   - path: the collection path, e.g. `/api/v1/pods`.
    ///   - what: the kind, named in errors.
    ///   - decode: decodes one page.
    public func list<Object: Sendable>(
        path: String,
        labelSelector: String? = nil,
        what: String,
        decode: (Data) throws -> KubernetesObjectPage<Object>
    ) async throws(SourceFailure) -> (items: [Object], resourceVersion: String) {
        var items: [Object] = []
        let resourceVersion = try await listPages(path: path, labelSelector: labelSelector, what: what, decode: decode)
        {
            page,
            _ in items += page
        }
        return (items, resourceVersion)
    }

    /// Opens a watch from `resourceVersion` and calls `handle` for every complete line, in order, until the server
    /// ends the stream (a normal end after `timeoutSeconds`). Throws on transport errors and non-200 answers.
    ///
    /// - Parameter opened: called once the response head arrived (the watch is live).
    public func watch(
        namespace: String?,
        labelSelector: String? = nil,
        resourceVersion: String,
        timeoutSeconds: Int,
        opened: @Sendable () async -> Void,
        handle: @Sendable (Data) async throws -> Void
    ) async throws {
        try await watch(
            path: Self.path(namespace: namespace),
            labelSelector: labelSelector,
            resourceVersion: resourceVersion,
            timeoutSeconds: timeoutSeconds,
            opened: opened,
            handle: handle
        )
    }

    /// Opens a watch of any collection path; see ``watch(namespace:labelSelector:resourceVersion:timeoutSeconds:opened:handle:)``.
    public func watch(
        path: String,
        labelSelector: String? = nil,
        resourceVersion: String,
        timeoutSeconds: Int,
        opened: @Sendable () async -> Void,
        handle: @Sendable (Data) async throws -> Void
    ) async throws {
        var query = [("watch", "true"), ("allowWatchBookmarks", "true")]
        if let labelSelector { query.append(("labelSelector", labelSelector)) }
        if !resourceVersion.isEmpty { query.append(("resourceVersion", resourceVersion)) }
        query.append(("timeoutSeconds", String(timeoutSeconds)))
        let response = try await send(path: path, query: query, timeout: .seconds(30))
        guard response.status == .ok else {
            let body = try await response.collectBody(upTo: 1024 * 1024)
            throw Self.failure(status: response.status, headers: response.headers, body: body)
        }
        await opened()
        var splitter = LineSplitter(maximumLineLength: maxResponseBytes)
        do {
            for try await chunk in response.body {
                for line in try splitter.append(chunk) { try await handle(line) }
            }
        } catch let failure as SourceFailure {
            throw failure
        } catch {
            throw SourceFailure(.streamCut, "watch stream ended abnormally: \(SourceFailure.classify(error).message)")
        }
        // A server may omit the newline after the last event of a stream that ended normally.
        if let last = splitter.finish() {
            guard Self.isCompleteJSON(last) else {
                throw SourceFailure(.streamCut, "watch stream ended inside an event")
            }
            try await handle(last)
        }
    }

    /// Whether a final line without newline is a whole JSON document (else the stream was cut inside it).
    static func isCompleteJSON(_ line: Data) -> Bool {
        do {
            try JSONReader.read(line) { reader throws(JSONReader.Failure) -> Void in
                _ = try reader.skipValue()
                try reader.expectEnd()
            }
            return true
        } catch {
            return false
        }
    }

    /// Sends a GET with credentials; after a 401 the credentials are re-read once and the request retried.
    private func send(
        path: String,
        query: [(String, String)],
        timeout: TimeAmount
    ) async throws(SourceFailure) -> HTTPClientResponse {
        var components = URLComponents()
        components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) }
        // '+' and other reserved characters in tokens must be escaped inside the query.
        let encodedQuery = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        let url = connection.requestServer + path + "?" + encodedQuery
        for attempt in 0..<2 {
            var request = HTTPClientRequest(url: url)
            request.headers.add(name: "Accept", value: "application/json")
            request.headers.add(name: "User-Agent", value: "apisix-sync-exporter/\(BuildInfo.version)")
            do {
                if let authorization = try await connection.credentials.authorization() {
                    request.headers.add(name: "Authorization", value: authorization)
                }
            } catch {
                throw SourceFailure(.unauthorized, "credentials unavailable: \(error)")
            }
            let response: HTTPClientResponse
            do {
                response = try await http.execute(request, timeout: timeout)
            } catch {
                throw SourceFailure.classify(error)
            }
            if response.status == .unauthorized, attempt == 0 {
                _ = try? await response.body.collect(upTo: 1024 * 1024)
                await connection.credentials.invalidate()  // projected tokens rotate: re-read and retry once
                continue
            }
            return response
        }
        throw SourceFailure(.unauthorized, "unreachable")
    }

    static func failure(status: HTTPResponseStatus, headers: HTTPHeaders, body: Data) -> SourceFailure {
        let code = Int(status.code)
        let decoded = try? KubernetesStatus.decode(body)
        let message = decoded?.message.map { String($0.prefix(200)) } ?? "HTTP \(code)"
        return SourceFailure.http(status: code, headers: headers, "HTTP \(code): \(message)")
    }
}
