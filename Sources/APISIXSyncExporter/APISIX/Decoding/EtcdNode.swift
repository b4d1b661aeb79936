/// One stored object in the etcd shape APISIX answers with: `{"key":…,"value":{…},"createdIndex":…,"modifiedIndex":…}`
/// (Admin API v2 and v3 items, Control API items; standalone Control API items lack `createdIndex`).
///
/// The value is only located by its structure (`JSONReader.skipContainer()`), not validated or decoded: an unchanged
/// object is reused as decoded before, a changed one is decoded strictly from its range.
struct EtcdNode {
    /// The last segment of `key` (`/apisix/routes/1` → `1`).
    var keyID: String?
    var modifiedIndex: Int?
    /// Where the `value` object is in the reader's bytes.
    var valueRange: Range<Int>

    static func read(_ reader: inout JSONReader, what: String) throws(JSONReader.Failure) -> EtcdNode {
        guard try reader.kind() == .object else { throw reader.failure("\(what) is not an object") }
        var keyID: String?
        var valueRange: Range<Int>?
        var modifiedIndex: Int?
        try reader.readObject { reader, field throws(JSONReader.Failure) in
            switch field {
            case "key" where try reader.kind() == .string: keyID = try reader.readKeyID()
            case "modifiedIndex": modifiedIndex = try reader.readOptionalInt()
            case "value":
                guard try reader.kind() == .object else { throw reader.failure("\"value\" is not an object") }
                valueRange = try reader.skipContainer()
            default: break
            }
        }
        guard let valueRange else { throw reader.failure("\(what) without \"value\"") }
        return EtcdNode(keyID: keyID, modifiedIndex: modifiedIndex, valueRange: valueRange)
    }

    /// A reader positioned at the value.
    func valueReader(_ reader: JSONReader) -> JSONReader {
        JSONReader(reader.bytes, offset: valueRange.lowerBound)
    }
}

/// A decoded object that a later decode may reuse as is when its `modifiedIndex` did not change.
protocol ModifiedIndexed {
    var id: String { get }
    var modifiedIndex: Int? { get }
}

extension ModifiedIndexed {
    /// `previous[id]` when both revisions are known and equal.
    static func reusable(_ previous: [String: Self], id: String?, modifiedIndex: Int?) -> Self? {
        guard let id, let modifiedIndex, let old = previous[id], old.modifiedIndex == modifiedIndex else { return nil }
        return old
    }
}

extension APISIXUpstream: ModifiedIndexed {}
