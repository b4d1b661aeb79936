import Foundation

/// The key range of a prefix, as etcd's range and watch requests take it: `key` and `range_end`, base64-encoded.
public struct EtcdKeyRange: Sendable, Equatable {
    public let key: [UInt8]
    public let rangeEnd: [UInt8]

    /// Every key that starts with `prefix`: `range_end` is the prefix with its last byte incremented (bytes 0xff
    /// dropped first); a prefix of only 0xff bytes ranges to the end of the keyspace (`range_end` `\0`).
    public init(prefix: String) {
        key = Array(prefix.utf8)
        var end = key
        while let last = end.last, last == 0xff { end.removeLast() }
        if let last = end.last {
            end[end.count - 1] = last + 1
        } else {
            end = [0]
        }
        rangeEnd = end
    }

    public var base64Key: String { Data(key).base64EncodedString() }
    public var base64RangeEnd: String { Data(rangeEnd).base64EncodedString() }

    /// The range after `lastKey` up to the same end: the next page of a paginated range read.
    func continuing(after lastKey: [UInt8]) -> (key: String, rangeEnd: String) {
        (Data(lastKey + [0]).base64EncodedString(), base64RangeEnd)
    }
}
