import Foundation

/// Decodes etcd v3 JSON gateway answers: range pages, watch stream lines, authentication tokens and errors. Pure: no
/// I/O, so that every shape is unit-tested with the gateway's real JSON.
public enum EtcdGatewayDecoder {
    /// What a body that is not the gateway's is called in errors.
    static let notEtcd = "not an etcd v3 JSON gateway answer"

    /// One page of `POST /v3/kv/range`.
    public static func rangePage(_ data: Data) throws(SourceFailure) -> EtcdRangePage {
        let response: EtcdGatewayWire.RangeResponse = try decode(data, what: "range answer")
        guard let revision = response.header?.revision?.value else {
            throw SourceFailure(.badResponse, "range answer without header.revision: \(notEtcd)")
        }
        var kvs: [EtcdKeyValue] = []
        kvs.reserveCapacity(response.kvs?.count ?? 0)
        for item in response.kvs ?? [] { kvs.append(try keyValue(item, deleted: false)) }
        return EtcdRangePage(revision: revision, kvs: kvs, more: response.more ?? false)
    }

    /// One line of `POST /v3/watch`.
    public static func watchMessage(_ line: Data) throws(SourceFailure) -> EtcdWatchMessage {
        let decoded: EtcdGatewayWire.WatchLine = try decode(line, what: "watch message")
        if let error = decoded.error {
            throw streamFailure(error)
        }
        guard let result = decoded.result else {
            throw SourceFailure(.badResponse, "watch message without \"result\": \(notEtcd)")
        }
        let revision = result.header?.revision?.value
        if result.canceled == true {
            if let compacted = result.compact_revision?.value, compacted > 0 {
                return .compacted(compactRevision: compacted)
            }
            return .canceled(reason: result.cancel_reason ?? "watch cancelled")
        }
        guard let revision else {
            throw SourceFailure(.badResponse, "watch message without header.revision: \(notEtcd)")
        }
        if result.created == true { return .created(revision: revision) }
        guard let events = result.events, !events.isEmpty else { return .progress(revision: revision) }
        var decodedEvents: [EtcdEvent] = []
        decodedEvents.reserveCapacity(events.count)
        for event in events {
            guard let kv = event.kv else { throw SourceFailure(.badResponse, "watch event without kv") }
            // A PUT has no "type": the enum's zero value is omitted.
            switch event.type ?? "PUT" {
            case "PUT": decodedEvents.append(EtcdEvent(.put, try keyValue(kv, deleted: false)))
            case "DELETE": decodedEvents.append(EtcdEvent(.delete, try keyValue(kv, deleted: true)))
            case let other:
                throw SourceFailure(
                    .badResponse,
                    "watch event of unknown type \(ResponseBodySummary.printable(other, limit: 32))"
                )
            }
        }
        return .events(decodedEvents, revision: revision)
    }

    /// The token of `POST /v3/auth/authenticate`.
    public static func authToken(_ data: Data) throws(SourceFailure) -> String {
        let response: EtcdGatewayWire.AuthenticateResponse
        do {
            response = try JSONDecoder().decode(EtcdGatewayWire.AuthenticateResponse.self, from: data)
        } catch {
            throw notGateway(data, what: "authenticate answer")
        }
        guard response.header != nil, let token = response.token, !token.isEmpty else {
            throw SourceFailure(.badResponse, "authenticate answer without a token: \(notEtcd)")
        }
        return token
    }

    /// The failure a non-2xx answer stands for. etcd's errors map to gRPC codes: an invalid or expired token is
    /// Unauthenticated (16, HTTP 401), a missing permission PermissionDenied (7, 403), wrong credentials and a
    /// missing user name InvalidArgument (3, 400) with etcd's own message, a compacted revision OutOfRange (11).
    public static func failure(status: Int, body: Data) -> SourceFailure {
        guard let error = try? JSONDecoder().decode(EtcdGatewayWire.ErrorBody.self, from: body),
            let code = error.code, let message = error.message ?? error.error
        else {
            let reason = SourceFailure.reason(forStatus: status)
            return SourceFailure(reason, "HTTP \(status): \(notEtcd)")
        }
        return failure(code: code, message: message, status: status)
    }

    /// The failure for a gRPC code and etcd's message (free of secrets: etcd never echoes credentials).
    static func failure(code: Int, message: String, status: Int? = nil) -> SourceFailure {
        let text = ResponseBodySummary.printable(message, limit: 200)
        switch code {
        case 16: return SourceFailure(.unauthorized, "etcd: \(text)")
        case 7: return SourceFailure(.forbidden, "etcd: \(text) (the user needs read permission on the prefix)")
        case 3 where message.contains("authentication failed"):
            return SourceFailure(.unauthorized, "etcd: \(text) (check --apisix.etcd-username and the password file)")
        case 3 where message.contains("user name is empty"):
            return SourceFailure(.unauthorized, "etcd: authentication is enabled: set --apisix.etcd-username")
        case 11 where message.contains("compacted"): return SourceFailure(.expired, "etcd: \(text)")
        case 14, 4: return SourceFailure(.serverError, "etcd: \(text)")
        default:
            return SourceFailure(status.map(SourceFailure.reason(forStatus:)) ?? .serverError, "etcd: \(text)")
        }
    }

    /// The failure of a watch cancelled with `cancel_reason` ("rpc error: code = PermissionDenied desc = …").
    public static func failure(cancelReason reason: String) -> SourceFailure {
        let codes: [(String, Int)] = [
            ("Unauthenticated", 16), ("PermissionDenied", 7), ("InvalidArgument", 3), ("OutOfRange", 11),
        ]
        let message = reason.range(of: "desc = ").map { String(reason[$0.upperBound...]) } ?? reason
        for (name, code) in codes where reason.contains("code = \(name)") {
            return failure(code: code, message: message)
        }
        return SourceFailure(
            .serverError,
            "etcd cancelled the watch: \(ResponseBodySummary.printable(reason, limit: 200))"
        )
    }

    private static func streamFailure(_ error: EtcdGatewayWire.StreamError) -> SourceFailure {
        failure(code: error.grpc_code ?? 2, message: error.message ?? "watch stream error", status: error.http_code)
    }

    private static func keyValue(_ item: EtcdGatewayWire.KeyValue, deleted: Bool) throws(SourceFailure) -> EtcdKeyValue
    {
        guard let key = item.key.flatMap({ Data(base64Encoded: $0) }), !key.isEmpty else {
            throw SourceFailure(.badResponse, "kv without a base64 key: \(notEtcd)")
        }
        guard let revision = item.mod_revision?.value else {
            throw SourceFailure(.badResponse, "kv without mod_revision: \(notEtcd)")
        }
        var value: Data?
        if !deleted {
            // An empty value is omitted by the gateway.
            guard let decoded = Data(base64Encoded: item.value ?? "") else {
                throw SourceFailure(.badResponse, "kv value is not base64: \(notEtcd)")
            }
            value = decoded
        }
        return EtcdKeyValue(key: String(decoding: key, as: UTF8.self), value: value, modRevision: revision)
    }

    private static func decode<T: EtcdGatewayReadable>(_ data: Data, what: String) throws(SourceFailure) -> T {
        do throws(JSONReader.Failure) {
            return try T.decode(data)
        } catch {
            throw notGateway(data, what: what)
        }
    }

    private static func notGateway(_ data: Data, what: String) -> SourceFailure {
        let start = ResponseBodySummary.printable(String(decoding: data.prefix(80), as: UTF8.self), limit: 80)
        return SourceFailure(.badResponse, "\(what) is \(notEtcd) (starts \"\(start)\")")
    }
}
