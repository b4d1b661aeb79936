import Hummingbird

extension ResponseBody {
    /// Bytes written in slices of `chunkSize`, each copied into its own buffer as it is written: a large body (8 MB of
    /// `/metrics` at 10,000 Services) is not held twice, as an array and as one buffer of the same size.
    static func chunks(of bytes: [UInt8], chunkSize: Int = 1 << 18) -> ResponseBody {
        ResponseBody(contentLength: bytes.count) { writer in
            var start = 0
            while start < bytes.count {
                let end = min(start + chunkSize, bytes.count)
                try await writer.write(ByteBuffer(bytes: bytes[start..<end]))
                start = end
            }
            try await writer.finish(nil)
        }
    }
}
