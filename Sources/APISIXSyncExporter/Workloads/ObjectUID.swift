/// A Kubernetes object's `metadata.uid` as the pod index keeps it: 16 bytes inline when it is a lowercase UUID (as
/// the API server makes them), else its text. 100,000 pods keep 100,000 uids: as strings they were 8 MB of heap.
struct ObjectUID: Hashable, Sendable {
    private enum Storage: Hashable, Sendable {
        case uuid(UInt64, UInt64)
        case text(String)
    }

    private let storage: Storage

    init(_ text: String) {
        storage = Self.parse(text).map { .uuid($0.0, $0.1) } ?? .text(text)
    }

    /// The uid's text, exactly as it was given.
    var text: String {
        switch storage {
        case .text(let text): return text
        case .uuid(let high, let low):
            let digits = Self.hex(high, count: 16) + Self.hex(low, count: 16)
            var text = ""
            text.reserveCapacity(36)
            for (offset, digit) in digits.enumerated() {
                if [8, 12, 16, 20].contains(offset) { text.append("-") }
                text.append(digit)
            }
            return text
        }
    }

    /// `8-4-4-4-12` lowercase hex digits; anything else (uppercase included) keeps its text so that it round-trips.
    private static func parse(_ text: String) -> (UInt64, UInt64)? {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        var digits = 0
        for (offset, byte) in bytes.enumerated() {
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            let value: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            if digits < 16 {
                high = high << 4 | UInt64(value)
            } else {
                low = low << 4 | UInt64(value)
            }
            digits += 1
        }
        return (high, low)
    }

    private static func hex(_ value: UInt64, count: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, count - text.count)) + text
    }
}
