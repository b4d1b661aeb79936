/// The JSON shapes of etcd's v3 gateway (grpc-gateway over `etcdserverpb`), only the fields the source reads; each
/// is read by ``JSONReader`` (`EtcdGatewayWire+JSONReader.swift`). 64-bit integers come as JSON strings; numbers are
/// accepted too.
enum EtcdGatewayWire {
    struct Int64Value {
        let value: Int64
    }

    struct Header {
        var revision: Int64Value?
    }

    struct KeyValue {
        var key: String?
        var value: String?
        var mod_revision: Int64Value?
    }

    struct RangeResponse {
        var header: Header?
        var kvs: [KeyValue]?
        var more: Bool?
    }

    struct Event {
        var type: String?
        var kv: KeyValue?
    }

    struct WatchResult {
        var header: Header?
        var created: Bool?
        var canceled: Bool?
        var compact_revision: Int64Value?
        var cancel_reason: String?
        var events: [Event]?
    }

    /// A watch stream line: a result, or an error object the gateway writes when the stream fails.
    struct WatchLine {
        var result: WatchResult?
        var error: StreamError?
    }

    struct StreamError {
        var grpc_code: Int?
        var http_code: Int?
        var message: String?
    }

    /// The body of a failed unary call: `{"error":"…","message":"…","code":N}`. Read once per failure, by
    /// `JSONDecoder` (the per-message shapes above are read by `JSONReader`).
    struct ErrorBody: Decodable {
        var error: String?
        var message: String?
        var code: Int?
    }

    /// Read once per token, by `JSONDecoder`; only whether it has a header object counts.
    struct AuthenticateResponse: Decodable {
        struct HeaderPresence: Decodable {}
        var header: HeaderPresence?
        var token: String?
    }
}
