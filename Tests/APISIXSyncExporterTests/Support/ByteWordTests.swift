import Testing

@testable import APISIXSyncExporter

/// The word-at-a-time tests agree with byte-by-byte ones: every byte value at every position, and random words.
@Suite struct ByteWordTests {
    static func bytes(of word: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: word >> ($0 * 8)) } }

    static func agree(_ word: UInt64) -> Bool {
        let bytes = bytes(of: word)
        return ByteWord.hasByte(word, below: 0x20) == bytes.contains { $0 < 0x20 }
            && ByteWord.hasByte(word, equalTo: 0x22) == bytes.contains(0x22)
            && ByteWord.hasByte(word, equalTo: 0x5C) == bytes.contains(0x5C)
            && ByteWord.isASCII(word) == bytes.allSatisfy { $0 < 0x80 }
    }

    @Test func everyByteAtEveryPosition() {
        // Fillers that sit just beside the values tested (borrows between bytes are where such tricks go wrong).
        for filler: UInt8 in [0x00, 0x1F, 0x20, 0x21, 0x23, 0x5B, 0x5D, 0x7F, 0x80, 0xFF] {
            for position in 0..<8 {
                for value in 0...255 {
                    var bytes = [UInt8](repeating: filler, count: 8)
                    bytes[position] = UInt8(value)
                    let word = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << ($1.offset * 8) }
                    #expect(Self.agree(word), "filler \(filler), byte \(value) at \(position)")
                }
            }
        }
    }

    @Test func randomWords() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            // Bytes drawn mostly from near the boundaries tested.
            let bytes = (0..<8).map { _ -> UInt8 in
                [0x00, 0x1F, 0x20, 0x21, 0x22, 0x5C, 0x7F, 0x80, UInt8.random(in: 0...255, using: &generator)]
                    .randomElement(using: &generator) ?? 0
            }
            let word = bytes.enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << ($1.offset * 8) }
            #expect(Self.agree(word))
        }
    }

    /// `stringStop` finds what a byte loop finds, from every start, in buffers of every length near a word.
    @Test func stringStopMatchesAByteLoop() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<40 {
            for _ in 0..<50 {
                let buffer = (0..<length).map { _ -> UInt8 in
                    Int.random(in: 0..<10, using: &generator) == 0
                        ? [0x22, 0x5C, 0x0A, 0x80].randomElement(using: &generator) ?? 0
                        : UInt8.random(in: 0x20...0x7E, using: &generator)
                }
                buffer.withUnsafeBytes { raw in
                    for start in 0...length {
                        let expected =
                            buffer[start...].firstIndex { $0 == 0x22 || $0 == 0x5C || $0 < 0x20 } ?? length
                        var seen: UInt64 = 0
                        #expect(JSONReader.stringStop(in: raw, from: start, seen: &seen) == expected)
                        #expect(ByteWord.isASCII(seen) == buffer[start..<expected].allSatisfy { $0 < 0x80 })
                    }
                    #expect(JSONReader.isASCII(raw) == buffer.allSatisfy { $0 < 0x80 })
                }
            }
        }
    }
}
