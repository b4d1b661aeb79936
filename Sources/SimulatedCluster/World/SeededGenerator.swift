/// A small, fast, seedable random number generator (xoshiro256**, seeded through SplitMix64), so that a simulated
/// run can be repeated exactly with the same seed (`--seed`).
///
/// The sequence for a given seed is stable across platforms. It is not cryptographically secure.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    /// The seed this generator started from.
    public let seed: UInt64
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Creates a generator whose sequence is determined by `seed`.
    public init(seed: UInt64) {
        self.seed = seed
        var splitMix = seed
        self.s0 = Self.splitMix64(&splitMix)
        self.s1 = Self.splitMix64(&splitMix)
        self.s2 = Self.splitMix64(&splitMix)
        self.s3 = Self.splitMix64(&splitMix)
    }

    /// Returns the next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = Self.rotateLeft(self.s1 &* 5, by: 7) &* 9
        let shifted = self.s1 << 17
        self.s2 ^= self.s0
        self.s3 ^= self.s1
        self.s1 ^= self.s2
        self.s0 ^= self.s3
        self.s2 ^= shifted
        self.s3 = Self.rotateLeft(self.s3, by: 45)
        return result
    }

    /// A seed for an independent generator derived from `seed` and `stream`, e.g. to give the simulated ingress
    /// controller its own sequence, so that its draws do not shift the world's.
    public static func derivedSeed(_ seed: UInt64, stream: UInt64) -> UInt64 {
        var state = seed ^ (stream &* 0xD1B5_4A32_D192_ED03)
        return Self.splitMix64(&state)
    }

    private static func splitMix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static func rotateLeft(_ value: UInt64, by count: UInt64) -> UInt64 {
        (value << count) | (value >> (64 - count))
    }
}
