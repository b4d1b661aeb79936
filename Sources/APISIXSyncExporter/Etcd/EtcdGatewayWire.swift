import Foundation

/// The JSON shapes of etcd's v3 gateway (grpc-gateway over `etcdserverpb`), only the fields the source reads.
/// 64-bit integers come as JSON strings; numbers are accepted too.
enum EtcdGatewayWire {
    struct Int64Value: Decodable {
        let value: Int64

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self), let parsed = Int64(text) {
                value = parsed
            } else {
                value = try container.decode(Int64.self)
            }
        }
    }

    struct Header: Decodable {
        let revision: Int64Value?
    }

    struct KeyValue: Decodable {
        let key: String?
        let value: String?
        let mod_revision: Int64Value?
    }

    struct RangeResponse: Decodable {
        let header: Header?
        let kvs: [KeyValue]?
        let more: Bool?
    }

    struct Event: Decodable {
        let type: String?
        let kv: KeyValue?
    }

    struct WatchResult: Decodable {
        let header: Header?
        let created: Bool?
        let canceled: Bool?
        let compact_revision: Int64Value?
        let cancel_reason: String?
        let events: [Event]?
    }

    /// A watch stream line: a result, or an error object the gateway writes when the stream fails.
    struct WatchLine: Decodable {
        let result: WatchResult?
        let error: StreamError?
    }

    struct StreamError: Decodable {
        let grpc_code: Int?
        let http_code: Int?
        let message: String?
    }

    /// The body of a failed unary call: `{"error":"…","message":"…","code":N}`.
    struct ErrorBody: Decodable {
        let error: String?
        let message: String?
        let code: Int?
    }

    struct AuthenticateResponse: Decodable {
        let header: Header?
        let token: String?
    }
}
