/// One message of an etcd watch stream (`{"result":{…}}` on the v3 JSON gateway), as the source acts on it.
public enum EtcdWatchMessage: Sendable, Equatable {
    /// The watch is open; `revision` is the store's revision when it was created.
    case created(revision: Int64)
    /// Changes under the watched range, in revision order; `revision` is the store's revision when they were sent.
    case events([EtcdEvent], revision: Int64)
    /// A progress notification: every event up to `revision` has been delivered.
    case progress(revision: Int64)
    /// The start revision was compacted: the watch is over, read the range again.
    case compacted(compactRevision: Int64)
    /// The watch was cancelled for another reason (permission denied, an invalid token, …).
    case canceled(reason: String)
}

/// One page of an etcd range read.
public struct EtcdRangePage: Sendable, Equatable {
    /// The store's revision the page was read at.
    public var revision: Int64
    public var kvs: [EtcdKeyValue]
    /// Whether more keys follow (`"more": true`).
    public var more: Bool
}
