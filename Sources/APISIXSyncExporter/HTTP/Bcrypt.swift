import CCrypt

/// bcrypt verification through libxcrypt's `crypt_rn` (`$2a$`, `$2b$`, `$2y$`), as exporter-toolkit's
/// `basic_auth_users` needs. Slow on purpose (cost 10 is tens of milliseconds): callers cache successes.
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

    /// Whether `password` hashes to `hash`. The comparison takes the same time wherever the first difference is.
    static func verify(password: String, hash: String) -> Bool {
        guard !password.utf8.contains(0), isWellFormed(hash) else { return false }
        let size = MemoryLayout<crypt_data>.size
        let data = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: MemoryLayout<crypt_data>.alignment)
        data.initializeMemory(as: UInt8.self, repeating: 0, count: size)
        defer {
            // crypt_data holds the password and intermediate state: wipe it before freeing.
            data.initializeMemory(as: UInt8.self, repeating: 0, count: size)
            data.deallocate()
        }
        guard let output = crypt_rn(password, hash, data, Int32(size)) else { return false }
        let computed = Array(String(cString: output).utf8)
        let expected = Array(hash.utf8)
        guard computed.count == expected.count else { return false }
        var difference: UInt8 = 0
        for index in expected.indices { difference |= computed[index] ^ expected[index] }
        return difference == 0
    }
}
