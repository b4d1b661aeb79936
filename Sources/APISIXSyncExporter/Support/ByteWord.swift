/// Tests on the eight bytes of a `UInt64` at once (SWAR), for scanning JSON text a word at a time. Each test is exact:
/// true if and only if some byte of the word passes it.
enum ByteWord {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// Whether some byte of `word` is below `limit` (at most 0x80).
    static func hasByte(_ word: UInt64, below limit: UInt8) -> Bool {
        (word &- ones &* UInt64(limit)) & ~word & highBits != 0
    }

    /// Whether some byte of `word` is `byte`.
    static func hasByte(_ word: UInt64, equalTo byte: UInt8) -> Bool {
        hasByte(word ^ (ones &* UInt64(byte)), below: 1)
    }

    /// Whether every byte of `word` is ASCII.
    static func isASCII(_ word: UInt64) -> Bool { word & highBits == 0 }
}
