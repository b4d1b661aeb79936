import Foundation

/// One key of etcd as the v3 JSON gateway reports it, with key and value base64-decoded.
public struct EtcdKeyValue: Sendable, Equatable {
    /// The key's bytes as text (APISIX keys are ASCII paths such as `/apisix/upstreams/1`).
    public var key: String
    /// The value; nil for a deleted key (a DELETE event's kv carries none).
    public var value: Data?
    /// The revision of the key's last write (or of its deletion).
    public var modRevision: Int64

    public init(key: String, value: Data?, modRevision: Int64) {
        self.key = key
        self.value = value
        self.modRevision = modRevision
    }
}

/// One event of an etcd watch.
public struct EtcdEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case put
        case delete
    }

    public var kind: Kind
    public var kv: EtcdKeyValue

    public init(_ kind: Kind, _ kv: EtcdKeyValue) {
        self.kind = kind
        self.kv = kv
    }
}
