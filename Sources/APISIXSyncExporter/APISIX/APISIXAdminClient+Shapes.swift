import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

extension APISIXAdminClient {
    /// Reads everything the target routes with, in whichever shape it speaks: in etcd mode upstreams, routes and
    /// services (v2 or v3 envelope, per response), in standalone mode the whole `/apisix/admin/configs`; then keeps
    /// the upstream objects in use (an `upstream_id` beats an inline upstream, a route's beats its service's).
    /// Inline upstreams get the id `route/<id>` or `service/<id>`.
    public func refresh(_ state: inout APISIXRefreshState) async throws(SourceFailure) -> [APISIXUpstream] {
        let mode: APISIXAdminMode
        if let known = state.mode {
            mode = known
        } else {
            mode = try await detectMode()
            state.mode = mode
        }
        do throws(SourceFailure) {
            switch mode {
            case .standalone:
                let response = try await fetch("/apisix/admin/configs")
                guard response.status == 200 else {
                    throw SourceFailure.http(
                        status: response.status,
                        headers: response.headers,
                        "HTTP \(response.status) from /apisix/admin/configs: \(Self.summary(of: response.body))"
                    )
                }
                let config: APISIXStandaloneConfig
                do {
                    config = try StandaloneConfigDecoder.decode(response.body, reusing: state.standalone)
                } catch {
                    throw SourceFailure(.badResponse, error.description)
                }
                state.standalone = config
                state.configVersion = Self.configVersion(response.headers)
                return APISIXRoutingResolver.resolve(
                    upstreams: config.upstreams,
                    routes: config.routes,
                    services: config.services
                ).inUse.map(\.upstream)
            case .etcd, .undetermined:
                let upstreamsBody = try await get("/apisix/admin/upstreams")
                let routesBody = try await get("/apisix/admin/routes")
                let servicesBody = try await get("/apisix/admin/services")
                do {
                    let upstreams = try AdminAPIDecoder.decodeUpstreamList(upstreamsBody, reusing: state.upstreams)
                    let routes = try AdminAPIDecoder.decodeRouteList(routesBody, reusing: state.routes).items
                    let services = try AdminAPIDecoder.decodeServiceList(servicesBody, reusing: state.services).items
                    return state.remember(upstreams: upstreams, routes: routes, services: services)
                } catch {
                    throw SourceFailure(.badResponse, error.description)
                }
            }
        } catch let failure where failure.reason == .notFound {
            state.mode = nil  // detect again next time: the target may have changed mode, or the URL is wrong
            throw failure
        }
    }

    /// One upstream in use, by the id ``refresh(_:)`` gave it; nil when it is gone or no longer in use there.
    public func upstreamInUse(id: String) async throws(SourceFailure) -> APISIXUpstream? {
        let path = inUsePath(id)
        let response = try await fetch(path)
        return try upstreamInUse(
            id: id,
            path: path,
            status: response.status,
            headers: response.headers,
            body: response.body
        )
    }

    /// What one request of ``upstreamsInUse(ids:now:)`` gave: the upstream (nil when gone) and when its answer
    /// arrived, or why it failed.
    public typealias InUseResult = Result<(upstream: APISIXUpstream?, at: Timestamp), SourceFailure>

    /// Several upstreams in use at once, in the order of `ids`. On a plain-http target the requests are pipelined
    /// on the keep-alive connections and each answer is timed by `now` as it arrives; on https they run a few at a
    /// time and are timed once decoded.
    ///
    /// - Parameter previous: upstreams by id (the last refresh's); an answer with the same `modifiedIndex` is taken
    ///   from here without decoding it.
    public func upstreamsInUse(
        ids: [String],
        reusing previous: [String: APISIXUpstream] = [:],
        now: @escaping @Sendable () -> Timestamp
    ) async -> [(id: String, result: InUseResult)] {
        guard let pool else { return await upstreamsInUseConcurrently(ids: ids, now: now) }
        let paths = ids.map(inUsePath)
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
            return ids.map { ($0, .failure(failure)) }
        }
        var results: [(id: String, result: InUseResult)] = []
        results.reserveCapacity(ids.count)
        for (index, answer) in answers.enumerated() {
            let id = ids[index]
            switch answer {
            case .success(let stamped):
                let body = stamped.response.body
                let data = redactingKey(
                    in: body.getData(at: body.readerIndex, length: body.readableBytes, byteTransferStrategy: .noCopy)
                        ?? Data(),
                    status: stamped.response.status
                )
                do throws(SourceFailure) {
                    let upstream = try upstreamInUse(
                        id: id,
                        path: paths[index],
                        status: stamped.response.status,
                        headers: stamped.response.headers,
                        body: data,
                        reusing: previous
                    )
                    results.append((id, .success((upstream, stamped.at))))
                } catch {
                    results.append((id, .failure(error)))
                }
            case .failure(let error as AdminHTTPError):
                results.append((id, .failure(error.failure)))
            case .failure(let error):
                results.append((id, .failure(SourceFailure.classify(error))))
            }
        }
        return results
    }

    /// ``upstreamsInUse(ids:now:)`` through `HTTPClient`, at most `concurrency` requests at once.
    private func upstreamsInUseConcurrently(
        ids: [String],
        now: @escaping @Sendable () -> Timestamp,
        concurrency: Int = 8
    ) async -> [(id: String, result: InUseResult)] {
        await withTaskGroup(of: (Int, InUseResult).self) { group in
            var results = [InUseResult?](repeating: nil, count: ids.count)
            var running = 0
            for (index, id) in ids.enumerated() {
                if running >= concurrency, let (done, result) = await group.next() {
                    results[done] = result
                    running -= 1
                }
                running += 1
                group.addTask {
                    do throws(SourceFailure) {
                        let upstream = try await upstreamInUse(id: id)
                        return (index, .success((upstream, now())))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            for await (done, result) in group { results[done] = result }
            return ids.enumerated().map { index, id in
                (id, results[index] ?? .failure(SourceFailure(.connection, "cancelled")))
            }
        }
    }

    /// The path of an upstream in use: `/apisix/admin/upstreams/<id>` (Control API: `/v1/upstream/<id>`), or the
    /// route or service holding an inline upstream.
    func inUsePath(_ id: String) -> String {
        let (kind, objectID) = Self.split(id)
        if isControlAPI { return "/v1/\(kind ?? "upstream")/\(Self.escapePathSegment(objectID))" }
        return "/apisix/admin/\(kind ?? "upstream")s/\(Self.escapePathSegment(objectID))"
    }

    /// An id as one path segment: unreserved characters as they are (the common case, without Foundation), anything
    /// else percent-encoded.
    static func escapePathSegment(_ segment: String) -> String {
        let plain = segment.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                true
            default: false
            }
        }
        if plain { return segment }
        return segment.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? segment
    }

    /// Interprets the answer to `GET path` for the upstream in use `id`: nil when it is gone or no longer in use.
    func upstreamInUse(
        id: String,
        path: String,
        status: Int,
        headers: HTTPHeaders = [:],
        body: Data,
        reusing previous: [String: APISIXUpstream] = [:]
    ) throws(SourceFailure) -> APISIXUpstream? {
        let (kind, _) = Self.split(id)
        guard status == 200 else {
            let failure = SourceFailure.http(
                status: status,
                headers: headers,
                "HTTP \(status) from \(path): \(Self.summary(of: body))"
            )
            // A plain upstream that is gone answers "Key not found"; a route or service "... not found", and so
            // does anything missing from the Control API ({"error_msg":"upstream[<id>] not found"}).
            let gone = kind == nil && !isControlAPI ? "Key not found" : "not found"
            if failure.reason == .notFound, failure.message.contains(gone) {
                return nil
            }
            throw failure
        }
        guard let kind else {
            do {
                if isControlAPI { return try ControlAPIDecoder.decodeUpstream(body) }
                return try AdminAPIDecoder.decodeUpstream(body, reusing: previous)
            } catch {
                throw SourceFailure(.badResponse, error.description)
            }
        }
        let holder: (name: String?, upstreamID: String?, inline: APISIXInlineUpstream?, modifiedIndex: Int?)
        do {
            if kind == "route" {
                let route = try AdminAPIDecoder.decodeRoute(body)
                guard route.isEnabled else { return nil }
                holder = (route.name, route.upstreamID, route.upstream, route.modifiedIndex)
            } else {
                let service = try AdminAPIDecoder.decodeService(body)
                holder = (service.name, service.upstreamID, service.upstream, service.modifiedIndex)
            }
        } catch {
            throw SourceFailure(.badResponse, error.description)
        }
        // An `upstream_id` set since the refresh wins over the inline upstream: this one is no longer in use.
        guard holder.upstreamID == nil, let inline = holder.inline else { return nil }
        return APISIXUpstream(
            id: id,
            name: holder.name ?? inline.name,
            nodes: inline.nodes,
            discovery: inline.discovery,
            modifiedIndex: holder.modifiedIndex
        )
    }

    /// Standalone mode: whether the config changed since the last refresh, by `HEAD /apisix/admin/configs`
    /// (`X-Digest`, else `X-Last-Modified`); a target without either header counts as changed.
    public func standaloneConfigChanged(since state: APISIXRefreshState) async throws(SourceFailure) -> Bool {
        let response = try await fetch("/apisix/admin/configs", method: .HEAD)
        guard response.status == 200 else {
            throw SourceFailure.http(
                status: response.status,
                headers: response.headers,
                "HTTP \(response.status) from HEAD /apisix/admin/configs"
            )
        }
        guard let version = Self.configVersion(response.headers) else { return true }
        return version != state.configVersion
    }

    /// etcd or standalone, from `GET /apisix/admin/configs`: a config is standalone, a JSON 404 naming the resource
    /// type unsupported (or 2.x's `not found`) is etcd mode. Anything else is an error that says what was seen.
    func detectMode() async throws(SourceFailure) -> APISIXAdminMode {
        let probe = try await fetch("/apisix/admin/configs")
        switch probe.status {
        case 401, 403, 429, 500...:
            throw SourceFailure.http(
                status: probe.status,
                headers: probe.headers,
                "HTTP \(probe.status) from /apisix/admin/configs: \(Self.summary(of: probe.body))"
            )
        default: break
        }
        switch APISIXAdminMode.fromConfigsProbe(status: probe.status, body: probe.body) {
        case .etcd: return .etcd
        case .standalone: return .standalone
        case .undetermined(let seen):
            throw SourceFailure(.badResponse, "not an APISIX Admin API (etcd or standalone mode): \(seen)")
        }
    }

    static func configVersion(_ headers: HTTPHeaders) -> String? {
        headers.first(name: "X-Digest") ?? headers.first(name: "X-Last-Modified")
    }

    /// `route/<id>` → ("route", id); a plain upstream id → (nil, id).
    static func split(_ id: String) -> (kind: String?, id: String) {
        for kind in ["route", "service"] where id.hasPrefix(kind + "/") {
            return (kind, String(id.dropFirst(kind.count + 1)))
        }
        return (nil, id)
    }
}
