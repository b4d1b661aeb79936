import Hummingbird
import Synchronization
import Testing

@testable import APISIXSyncExporter

/// `/metrics` is written in slices: the client receives every byte once, in order, with the whole length announced.
@Suite struct ResponseBodyChunksTests {
    struct CollectingWriter: ResponseBodyWriter {
        let buffers: @Sendable (ByteBuffer) -> Void

        mutating func write(_ buffer: ByteBuffer) async throws { buffers(buffer) }
        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }

    final class Received: Sendable {
        let state = Mutex((sizes: [Int](), bytes: [UInt8]()))
    }

    func written(_ bytes: [UInt8], chunkSize: Int) async throws -> (sizes: [Int], bytes: [UInt8], length: Int?) {
        let received = Received()
        let body = ResponseBody.chunks(of: bytes, chunkSize: chunkSize)
        let length = body.contentLength
        try await body.write(
            CollectingWriter { buffer in
                received.state.withLock { state in
                    state.sizes.append(buffer.readableBytes)
                    state.bytes += buffer.readableBytesView
                }
            }
        )
        return received.state.withLock { ($0.sizes, $0.bytes, length) }
    }

    @Test func everyByteArrivesOnceInOrder() async throws {
        let bytes = (0..<1_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
        let result = try await written(bytes, chunkSize: 256)
        #expect(result.sizes == [256, 256, 256, 232])
        #expect(result.bytes == bytes)
        #expect(result.length == 1_000)
    }

    @Test func anEmptyBodyWritesNothing() async throws {
        let result = try await written([], chunkSize: 256)
        #expect(result.sizes.isEmpty)
        #expect(result.length == 0)
    }
}
