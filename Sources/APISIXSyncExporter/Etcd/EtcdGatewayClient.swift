import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// Speaks etcd's v3 JSON gateway to one of a cluster's members: authentication, paginated range reads at a fixed
/// revision, and one long-lived watch stream. Failures are ``SourceFailure``s free of secrets; a connection failure
/// moves on to the next member.
public actor EtcdGatewayClient {
    public let settings: EtcdSettings
    /// The members in `settings.endpoints` order, each with the HTTP client that reaches it.
    let members: [EtcdMember]
    private var memberIndex = 0
    private var token: String?

    /// - Throws: a message naming the file when the TLS files do not load.
    public init(settings: EtcdSettings) throws(SourceFailure) {
        self.settings = settings
        let https = settings.endpoints.contains { $0.hasPrefix("https://") }
        members = EtcdMember.members(settings, tls: https ? try Self.tlsConfiguration(settings) : nil)
    }

    public static func tlsConfiguration(_ settings: EtcdSettings) throws(SourceFailure) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        do {
            if let caFile = settings.caFile {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
            }
            if let certFile = settings.certFile, let keyFile = settings.keyFile {
                tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certFile).map { .certificate($0) }
                tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
            }
        } catch {
            throw SourceFailure(.clientError, "etcd TLS files do not load: \(error)")
        }
        return tls
    }

    /// The member requests go to now.
    var member: EtcdMember? { members.isEmpty ? nil : members[memberIndex % members.count] }

    /// The URL of the member requests go to now.
    public var endpoint: String { member?.endpoint ?? "" }

    /// Moves on to the next member (after a connection failure).
    public func nextEndpoint() {
        memberIndex = (memberIndex + 1) % max(1, members.count)
    }

    /// Forgets the token: the next call authenticates again (after a watch cancelled for an invalid token).
    public func dropToken() {
        token = nil
    }

    /// Closes the connections (once the source stopped).
    public nonisolated func shutdown() async {
        var closed = Set<ObjectIdentifier>()
        for member in members where closed.insert(ObjectIdentifier(member.http)).inserted {
            try? await member.http.shutdown()
        }
    }

    // MARK: Unary calls

    /// `POST /v3/<path>` with a JSON body; with a user name, authenticates first and once more after an auth error.
    func call(_ path: String, _ body: [String: any Sendable]) async throws(SourceFailure) -> Data {
        for attempt in 0..<2 {
            let headers = try await authorizationHeaders(renew: attempt > 0)
            let (status, data) = try await post(path, body, headers: headers)
            if (200..<300).contains(status) { return data }
            let failure = EtcdGatewayDecoder.failure(status: status, body: data)
            if failure.reason == .unauthorized, settings.username != nil, attempt == 0, token != nil {
                continue  // the token expired or the member restarted: authenticate again
            }
            throw failure
        }
        throw SourceFailure(.unauthorized, "etcd rejected a fresh token")
    }

    /// The `Authorization` header: the token etcd handed out for the user (authenticating when there is none or
    /// `renew`); none without a user name.
    func authorizationHeaders(renew: Bool) async throws(SourceFailure) -> HTTPHeaders {
        var headers = HTTPHeaders()
        guard let username = settings.username else { return headers }
        if renew || token == nil {
            token = nil
            let body: [String: any Sendable] = ["name": username, "password": settings.password ?? ""]
            let (status, data) = try await post("auth/authenticate", body, headers: HTTPHeaders())
            guard (200..<300).contains(status) else {
                throw EtcdGatewayDecoder.failure(status: status, body: data)
            }
            token = try EtcdGatewayDecoder.authToken(data)
        }
        if let token { headers.add(name: "Authorization", value: token) }
        return headers
    }

    private func post(
        _ path: String,
        _ body: [String: any Sendable],
        headers: HTTPHeaders
    ) async throws(SourceFailure) -> (Int, Data) {
        guard let member else { throw SourceFailure(.connection, "no etcd member") }
        let request = Self.makeRequest(member.base + "/v3/" + path, body, headers: headers)
        do {
            let response = try await member.http.execute(
                request,
                timeout: .milliseconds(Int64(settings.requestTimeout * 1000))
            )
            let data = try await response.collectBody(upTo: settings.maxResponseBytes)
            return (Int(response.status.code), data)
        } catch let failure as SourceFailure {
            throw failure
        } catch {
            throw transportFailure(error, member: member)
        }
    }

    private static func makeRequest(
        _ url: String,
        _ body: [String: any Sendable],
        headers: HTTPHeaders
    ) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers = headers
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "apisix-sync-exporter/\(BuildInfo.version)")
        let data = (try? JSONSerialization.data(withJSONObject: body)) ?? Data("{}".utf8)
        request.body = .bytes(ByteBuffer(data: data))
        return request
    }

    /// A transport failure; a certificate that does not hold the name checked says which name and which flag sets
    /// it.
    private nonisolated func transportFailure(_ error: any Error, member: EtcdMember) -> SourceFailure {
        guard let tls = error as? NIOSSLExtraError, tls == .failedToValidateHostname else {
            return SourceFailure.classify(error)
        }
        let name = settings.tlsServerName ?? EtcdMember.httpsHostAndPort(member.endpoint)?.host ?? member.endpoint
        let hint =
            settings.tlsServerName == nil
            ? "set --apisix.etcd-tls-server-name to a name it holds" : "check --apisix.etcd-tls-server-name"
        return SourceFailure(
            .connection,
            "the certificate of etcd member \(member.endpoint) is not valid for \(name) "
                + "(TLS hostname verification failed); \(hint)"
        )
    }

    // MARK: Range

    /// Every key of `range` at one revision, read in pages of `settings.pageSize` continuing after the last key;
    /// the revision is the first page's.
    public func rangeAll(_ range: EtcdKeyRange) async throws(SourceFailure) -> (revision: Int64, kvs: [EtcdKeyValue]) {
        var kvs: [EtcdKeyValue] = []
        var revision: Int64?
        var key = range.base64Key
        while true {
            var body: [String: any Sendable] = [
                "key": key, "range_end": range.base64RangeEnd, "limit": String(settings.pageSize),
            ]
            if let revision { body["revision"] = String(revision) }
            let page = try EtcdGatewayDecoder.rangePage(try await call("kv/range", body))
            if revision == nil { revision = page.revision }
            kvs += page.kvs
            guard page.more, let last = page.kvs.last else { break }
            key = range.continuing(after: Array(last.key.utf8)).key
        }
        return (revision ?? 0, kvs)
    }

    // MARK: Watch

    /// Opens `POST /v3/watch` for `range` from `startRevision` and hands each line to `handle` with the time its
    /// chunk arrived on `clock`, until the stream ends (a `SourceFailure` of reason `streamCut` when it ends inside a
    /// message or abnormally) or `handle` throws or returns false.
    public nonisolated func watch(
        _ range: EtcdKeyRange,
        from startRevision: Int64,
        clock: any WallClock,
        handle: (Data, Timestamp) async throws -> Bool
    ) async throws {
        let headers = try await authorizationHeaders(renew: false)
        let body: [String: any Sendable] = [
            "create_request": [
                "key": range.base64Key, "range_end": range.base64RangeEnd, "start_revision": String(startRevision),
                "progress_notify": true,
            ] as [String: any Sendable]
        ]
        guard let member = await member else { throw SourceFailure(.connection, "no etcd member") }
        let request = Self.makeRequest(member.base + "/v3/watch", body, headers: headers)
        let response: HTTPClientResponse
        do {
            response = try await member.http.execute(
                request,
                timeout: .milliseconds(Int64(settings.requestTimeout * 1000))
            )
        } catch {
            throw transportFailure(error, member: member)
        }
        guard response.status == .ok else {
            let data = try await response.collectBody(upTo: 1024 * 1024)
            throw EtcdGatewayDecoder.failure(status: Int(response.status.code), body: data)
        }
        var splitter = LineSplitter(maximumLineLength: settings.maxResponseBytes)
        do {
            for try await chunk in response.body {
                let time = clock.now()
                for line in try splitter.append(chunk) where try await !handle(line, time) { return }
            }
        } catch let failure as SourceFailure {
            throw failure
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw SourceFailure(.streamCut, "watch stream ended abnormally: \(SourceFailure.classify(error).message)")
        }
        if splitter.hasPartialLine {
            throw SourceFailure(.streamCut, "watch stream ended inside a message")
        }
        throw SourceFailure(.streamCut, "watch stream ended")
    }
}
