internal import HummingbirdBcrypt

/// bcrypt verification for exporter-toolkit's `basic_auth_users` (`$2a$`, `$2b$`, `$2y$`), through HummingbirdBcrypt
/// (OpenBSD's bcrypt). Slow on purpose (cost 10 is tens of milliseconds): callers cache successes.
enum Bcrypt {
    private static let alphabet = Set("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// Whether `hash` looks like `$2y$10$` followed by 53 characters of bcrypt's base-64 alphabet, cost 04-31.
    static func isWellFormed(_ hash: String) -> Bool {
        let bytes = Array(hash.utf8)
        guard bytes.count == 60, bytes[0] == UInt8(ascii: "$"), bytes[1] == UInt8(ascii: "2"),
            [UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "y")].contains(bytes[2]),
            bytes[3] == UInt8(ascii: "$"), bytes[6] == UInt8(ascii: "$"),
            let cost = Int(String(decoding: bytes[4..<6], as: UTF8.self)), (4...31).contains(cost)
        else { return false }
        return bytes[7...].allSatisfy { alphabet.contains($0) }
    }

    /// Whether `password` hashes to `hash`; false for a malformed hash or a password with a NUL byte. The library
    /// compares the recomputed hash with `memcmp`: its time tells at most how many leading characters of bcrypt's
    /// output for the guess match, nanoseconds beside the bcrypt itself.
    static func verify(password: String, hash: String) -> Bool {
        guard !password.utf8.contains(0), isWellFormed(hash) else { return false }
        return HummingbirdBcrypt.Bcrypt.verify(password, hash: asMinorB(hash))
    }

    /// `hash` with the `$2b$` prefix. Go's bcrypt (exporter-toolkit) checks `$2a$`, `$2b$` and `$2y$` alike: the
    /// password and a NUL, cut to 72 bytes; so does libxcrypt for every UTF-8 password. OpenBSD's code, which
    /// HummingbirdBcrypt is, rejects `$2y$`, and for `$2a$` keeps the length in one byte (255 bytes would count as 0).
    private static func asMinorB(_ hash: String) -> String {
        "$2b" + hash.dropFirst(3)
    }
}
