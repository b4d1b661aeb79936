import AsyncHTTPClient
import Foundation
import NIOCore

extension HTTPClientResponse {
    /// Reads the whole body, failing with `tooLarge` above `limit` bytes.
    func collectBody(upTo limit: Int) async throws(SourceFailure) -> Data {
        do {
            let buffer = try await body.collect(upTo: limit)
            return Data(buffer.readableBytesView)
        } catch let error as NIOTooManyBytesError {
            _ = error
            throw SourceFailure(.tooLarge, "response body larger than \(limit) bytes")
        } catch {
            throw SourceFailure.classify(error)
        }
    }
}
