import Foundation
import NIOHTTP1

/// What one request of ``APISIXUpstreamReader/upstreamsInUse(ids:reusing:now:)`` gave: the upstream (nil when gone
/// or no longer in use) and when its answer arrived, or why it failed.
public typealias APISIXInUseResult = Result<(upstream: APISIXUpstream?, at: Timestamp), SourceFailure>

/// A client that reads single upstreams in use, by the ids a refresh gave them: ``APISIXAdminClient`` or
/// ``APISIXControlClient``. Each says where an id is read and how its answer reads; the requests are shared.
protocol APISIXUpstreamReader: Sendable {
    var transport: APISIXHTTPTransport { get }

    /// The path of an upstream in use: a plain upstream, or the route or service holding an inline upstream.
    func inUsePath(_ id: String) -> String

    /// The text a 404 answer for an object of `kind` (nil: a plain upstream) contains when the object is gone.
    func goneMessage(kind: String?) -> String

    /// Decodes the answer for a plain upstream.
    ///
    /// - Parameter previous: upstreams by id (the last refresh's); an answer with the same `modifiedIndex` may be
    ///   taken from here without decoding it.
    func decodeUpstream(
        _ body: Data,
        reusing previous: [String: APISIXUpstream]
    ) throws(SourceFailure) -> APISIXUpstream
}

extension APISIXUpstreamReader {
    /// Interprets the answer to `GET path` for the upstream in use `id`: nil when it is gone or no longer in use.
    ///
    /// - Parameter previous: upstreams by id (the last refresh's); an answer with the same `modifiedIndex` may be
    ///   taken from here without decoding it.
    func upstreamInUse(
        id: String,
        path: String,
        status: Int,
        headers: HTTPHeaders = [:],
        body: Data,
        reusing previous: [String: APISIXUpstream] = [:]
    ) throws(SourceFailure) -> APISIXUpstream? {
        let (kind, _) = APISIXUpstreamID.split(id)
        guard status == 200 else {
            return try goneOrFailure(
                path: path,
                status: status,
                headers: headers,
                body: body,
                gone: goneMessage(kind: kind)
            )
        }
        guard let kind else { return try decodeUpstream(body, reusing: previous) }
        return try inlineUpstream(id: id, kind: kind, body: body)
    }

    /// One upstream in use, by the id the refresh gave it; nil when it is gone or no longer in use there.
    func upstreamInUse(id: String) async throws(SourceFailure) -> APISIXUpstream? {
        let path = inUsePath(id)
        let response = try await transport.fetch(path)
        return try upstreamInUse(
            id: id,
            path: path,
            status: response.status,
            headers: response.headers,
            body: response.body,
            reusing: [:]
        )
    }

    /// Several upstreams in use at once, in the order of `ids`, each answer timed by `now` (see
    /// ``APISIXHTTPTransport/getAll(_:now:)``).
    ///
    /// - Parameter previous: upstreams by id (the last refresh's); an answer with the same `modifiedIndex` is taken
    ///   from here without decoding it.
    func upstreamsInUse(
        ids: [String],
        reusing previous: [String: APISIXUpstream] = [:],
        now: @escaping @Sendable () -> Timestamp
    ) async -> [(id: String, result: APISIXInUseResult)] {
        let paths = ids.map(inUsePath)
        let answers = await transport.getAll(paths, now: now)
        var results: [(id: String, result: APISIXInUseResult)] = []
        results.reserveCapacity(ids.count)
        for (index, answer) in answers.enumerated() {
            let id = ids[index]
            switch answer {
            case .success(let timed):
                do throws(SourceFailure) {
                    let upstream = try upstreamInUse(
                        id: id,
                        path: paths[index],
                        status: timed.response.status,
                        headers: timed.response.headers,
                        body: timed.response.body,
                        reusing: previous
                    )
                    results.append((id, .success((upstream, timed.at))))
                } catch {
                    results.append((id, .failure(error)))
                }
            case .failure(let failure):
                results.append((id, .failure(failure)))
            }
        }
        return results
    }

    /// A non-200 answer for an upstream in use: nil when it is a 404 whose message contains `gone` (the object is
    /// gone), else the failure.
    func goneOrFailure(
        path: String,
        status: Int,
        headers: HTTPHeaders,
        body: Data,
        gone: String
    ) throws(SourceFailure) -> APISIXUpstream? {
        let failure = SourceFailure.http(
            status: status,
            headers: headers,
            "HTTP \(status) from \(path): \(APISIXHTTPTransport.summary(of: body))"
        )
        if failure.reason == .notFound, failure.message.contains(gone) { return nil }
        throw failure
    }

    /// The inline upstream of the route or service (`kind`) in `body`, with the id `id`; nil when the route is
    /// disabled, has no inline upstream, or an `upstream_id` set since the refresh wins over it.
    func inlineUpstream(id: String, kind: String, body: Data) throws(SourceFailure) -> APISIXUpstream? {
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
        guard holder.upstreamID == nil, let inline = holder.inline else { return nil }
        return APISIXUpstream(
            id: id,
            name: holder.name ?? inline.name,
            nodes: inline.nodes,
            discovery: inline.discovery,
            modifiedIndex: holder.modifiedIndex
        )
    }
}

/// Ids of upstreams in use and their path segments.
enum APISIXUpstreamID {
    /// `route/<id>` → ("route", id); a plain upstream id → (nil, id).
    static func split(_ id: String) -> (kind: String?, id: String) {
        for kind in ["route", "service"] where id.hasPrefix(kind + "/") {
            return (kind, String(id.dropFirst(kind.count + 1)))
        }
        return (nil, id)
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
}
