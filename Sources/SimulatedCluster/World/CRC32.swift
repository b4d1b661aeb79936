/// CRC-32/IEEE (the checksum of zlib, PNG and Go's `hash/crc32.ChecksumIEEE`), which apisix-ingress-controller 1.x
/// uses to derive upstream ids from upstream names.
public enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = value & 1 == 1 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1
        }
        return value
    }

    /// The checksum of `bytes`.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = (crc >> 8) ^ self.table[Int((crc ^ UInt32(byte)) & 0xFF)]
        }
        return crc ^ 0xFFFF_FFFF
    }

    /// The checksum of the UTF-8 bytes of `string`.
    public static func checksum(_ string: String) -> UInt32 {
        self.checksum(string.utf8)
    }
}
