import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// What the Admin API client and the Control API client share: requests to one base URL with the same headers
/// (`Accept`, and `X-API-KEY` when there is a key), bodies limited to `maxResponseBytes`, every copy of the key
/// redacted from the bodies, and failures classified as ``SourceFailure``s.
///
/// Plain-http URLs are read through keep-alive, pipelined connections of its own (``AdminHTTPConnectionPool``);
/// https ones through the given `HTTPClient`.
struct APISIXHTTPTransport: Sendable {
    /// An answer of any status.
    typealias Response = (status: Int, headers: HTTPHeaders, body: Data)

    let baseURL: String
    let http: HTTPClient
    let apiKey: String?
    let maxResponseBytes: Int
    let requestTimeout: TimeAmount
    /// `Accept` and `X-API-KEY`, the headers of every request.
    let headers: HTTPHeaders
    /// Connections for a plain-http URL; nil for https.
    let pool: AdminHTTPConnectionPool?

    init(baseURL: String, http: HTTPClient, apiKey: String?, maxResponseBytes: Int, requestTimeout: TimeAmount) {
        self.baseURL = baseURL
        self.http = http
        self.apiKey = apiKey
        self.maxResponseBytes = maxResponseBytes
        self.requestTimeout = requestTimeout
        var headers = HTTPHeaders([("Accept", "application/json")])
        if let apiKey { headers.add(name: "X-API-KEY", value: apiKey) }
        self.headers = headers
        pool =
            Self.ownTransport
            ? AdminHTTPConnectionPool.Endpoint(url: baseURL).map {
                AdminHTTPConnectionPool(endpoint: $0, maxBodyBytes: maxResponseBytes)
            } : nil
    }

    /// Internal A/B switch (issue #14): `APISIX_SYNC_EXPORTER_TRANSPORT=ahc` reads plain-http targets through
    /// AsyncHTTPClient too.
    static let ownTransport = ProcessInfo.processInfo.environment["APISIX_SYNC_EXPORTER_TRANSPORT"] != "ahc"

    /// Closes the own connections (plain-http URLs); the `HTTPClient` is the caller's to shut down.
    func shutdown() {
        pool?.shutdown()
    }

    /// One GET; fails unless the answer is 200.
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

    /// One request of any status, with the body accumulated on the event loop (the future-based API: one hop back to
    /// the caller per request, which matters at hundreds of fast polls a second); cancelling the calling task cancels
    /// the request. Transport failures and oversized bodies throw.
    func fetch(_ path: String, method: HTTPMethod = .GET) async throws(SourceFailure) -> Response {
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

    /// ``fetch(_:method:)`` on the own keep-alive connections.
    private func fetch(
        _ path: String,
        method: HTTPMethod,
        on pool: AdminHTTPConnectionPool
    ) async throws(SourceFailure) -> Response {
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
        return (response.status, response.headers, body(of: response))
    }

    /// An answer of ``getAll(_:now:)`` and when it arrived, or why its request failed.
    typealias Timed = Result<(response: Response, at: Timestamp), SourceFailure>

    /// A GET of each of `paths`, in their order. On the own connections they are pipelined and each answer is timed
    /// by `now` as it arrives (one wake-up of the caller for the whole batch); through `HTTPClient` they run
    /// `concurrency` at a time, each timed once read.
    func getAll(
        _ paths: [String],
        now: @escaping @Sendable () -> Timestamp,
        concurrency: Int = 8
    ) async -> [Timed] {
        guard let pool else { return await getConcurrently(paths, now: now, concurrency: concurrency) }
        let batch = pool.getAll(paths, headers: headers, deadline: .now() + requestTimeout, stamp: now)
        let answers: [Result<AdminHTTPConnectionPool.Stamped, any Error>]
        do {
            answers = try await withTaskCancellationHandler {
                try await batch.results.get()
            } onCancel: {
                batch.abandon()
            }
        } catch {
            let failure = SourceFailure.classify(error)
            return paths.map { _ in .failure(failure) }
        }
        return answers.map { answer -> Timed in
            switch answer {
            case .success(let stamped):
                let response = stamped.response
                return .success(((response.status, response.headers, body(of: response)), stamped.at))
            case .failure(let error as AdminHTTPError):
                return .failure(error.failure)
            case .failure(let error):
                return .failure(SourceFailure.classify(error))
            }
        }
    }

    /// ``getAll(_:now:concurrency:)`` through `HTTPClient`.
    private func getConcurrently(
        _ paths: [String],
        now: @escaping @Sendable () -> Timestamp,
        concurrency: Int
    ) async -> [Timed] {
        await withTaskGroup(of: (Int, Timed).self) { group in
            var results = [Timed?](repeating: nil, count: paths.count)
            var running = 0
            for (index, path) in paths.enumerated() {
                if running >= concurrency, let (done, result) = await group.next() {
                    results[done] = result
                    running -= 1
                }
                running += 1
                group.addTask {
                    do throws(SourceFailure) {
                        let response = try await fetch(path)
                        return (index, .success((response, now())))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            for await (done, result) in group { results[done] = result }
            return results.map { $0 ?? .failure(SourceFailure(.connection, "cancelled")) }
        }
    }

    /// The body of an answer on the own connections, without a copy, the key redacted.
    private func body(of response: AdminHTTPResponse) -> Data {
        let body = response.body
        let data = body.getData(at: body.readerIndex, length: body.readableBytes, byteTransferStrategy: .noCopy)
        return redactingKey(in: data ?? Data(), status: response.status)
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
