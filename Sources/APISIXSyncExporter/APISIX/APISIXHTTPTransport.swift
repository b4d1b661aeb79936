import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import NIOSSL

/// What the Admin API client and the Control API client share: requests to one base URL with the same headers
/// (`Accept`, and `X-API-KEY` when there is a key), bodies limited to `maxResponseBytes`, every copy of the key
/// redacted from the bodies, and failures classified as ``SourceFailure``s.
///
/// Requests go over keep-alive, pipelined HTTP/1.1 connections of its own (``AdminHTTPConnectionPool``; https through
/// NIOSSL): at the hundreds of single-upstream GETs a second of fast polling it costs a fraction of AsyncHTTPClient's
/// instructions per request (docs/benchmarks.md, "One HTTP transport").
struct APISIXHTTPTransport: Sendable {
    /// An answer of any status.
    typealias Response = (status: Int, headers: HTTPHeaders, body: Data)

    let baseURL: String
    let apiKey: String?
    let maxResponseBytes: Int
    let requestTimeout: TimeAmount
    /// `Accept` and `X-API-KEY`, the headers of every request.
    let headers: HTTPHeaders
    /// For https URLs (kept for the Control API's transport).
    let tlsConfiguration: TLSConfiguration
    /// The connections; nil for a URL that is neither http nor https (every request fails).
    let pool: AdminHTTPConnectionPool?

    /// - Parameter tlsConfiguration: for an https URL; by default the system's trust roots and full certificate
    ///   verification.
    init(
        baseURL: String,
        apiKey: String?,
        maxResponseBytes: Int,
        requestTimeout: TimeAmount,
        tlsConfiguration: TLSConfiguration = .makeClientConfiguration()
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.maxResponseBytes = maxResponseBytes
        self.requestTimeout = requestTimeout
        var headers = HTTPHeaders([("Accept", "application/json")])
        if let apiKey { headers.add(name: "X-API-KEY", value: apiKey) }
        self.headers = headers
        pool = AdminHTTPConnectionPool.Endpoint(url: baseURL).map {
            AdminHTTPConnectionPool(endpoint: $0, tlsConfiguration: tlsConfiguration, maxBodyBytes: maxResponseBytes)
        }
        self.tlsConfiguration = tlsConfiguration
    }

    /// Closes the connections.
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

    /// One request of any status, with the whole body; cancelling the calling task cancels the request. Transport
    /// failures and oversized bodies throw.
    func fetch(_ path: String, method: HTTPMethod = .GET) async throws(SourceFailure) -> Response {
        guard let pool else { throw SourceFailure(.clientError, "invalid request URL for \(path)") }
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

    /// A GET of each of `paths`, in their order, pipelined on the connections; each answer is timed by `now` as it
    /// arrives (one wake-up of the caller for the whole batch).
    func getAll(_ paths: [String], now: @escaping @Sendable () -> Timestamp) async -> [Timed] {
        guard let pool else {
            return paths.map { .failure(SourceFailure(.clientError, "invalid request URL for \($0)")) }
        }
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

    /// The body of an answer, without a copy, the key redacted.
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
