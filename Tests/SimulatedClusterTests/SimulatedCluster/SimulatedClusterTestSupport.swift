import AsyncHTTPClient
import Foundation
import NIOCore

extension SimulatedClusterTests {
    /// A fully read HTTP response.
    struct FetchedResponse {
        let status: Int
        /// The headers keyed by lower-cased name (the first value of a repeated header).
        let headers: [String: String]
        let body: [UInt8]

        var text: String { String(decoding: self.body, as: UTF8.self) }

        /// The body parsed as a JSON object.
        func jsonObject() throws -> [String: Any] {
            try JSON.object(self.body)
        }
    }

    enum JSON {
        struct NotAnObject: Error {}

        static func object(_ bytes: some Sequence<UInt8>) throws -> [String: Any] {
            let value = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
            guard let object = value as? [String: Any] else { throw NotAnObject() }
            return object
        }

        static func object(_ text: String) throws -> [String: Any] {
            try self.object(Array(text.utf8))
        }
    }

    /// Runs `body` with a fresh client that is shut down afterwards. AsyncHTTPClient retries refused connections
    /// until the connect timeout, so tests of refused connections pass a short one.
    static func withTestClient<Result>(
        connectTimeout: TimeAmount = .seconds(5),
        _ body: (HTTPClient) async throws -> Result
    ) async throws -> Result {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: connectTimeout, read: .seconds(20))
        return try await HTTPClient.withHTTPClient(configuration: configuration, body)
    }

    /// Sends a GET request and reads the whole response.
    static func fetch(
        _ client: HTTPClient,
        _ url: String,
        headers: [(String, String)] = []
    ) async throws -> FetchedResponse {
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers {
            request.headers.add(name: name, value: value)
        }
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return FetchedResponse(
            status: Int(response.status.code),
            headers: headerMap(response),
            body: Array(body.readableBytesView)
        )
    }

    /// The response headers keyed by lower-cased name (the first value of a repeated header).
    static func headerMap(_ response: HTTPClientResponse) -> [String: String] {
        var map: [String: String] = [:]
        for header in response.headers where map[header.name.lowercased()] == nil {
            map[header.name.lowercased()] = header.value
        }
        return map
    }

    /// Reads a streamed response body line by line, reassembling lines split across chunks.
    struct LineReader {
        private var iterator: HTTPClientResponse.Body.AsyncIterator
        private var pending: [UInt8] = []
        /// How many body parts (chunks as delivered by the client) have been received.
        private(set) var partsReceived = 0

        init(_ response: HTTPClientResponse) {
            self.iterator = response.body.makeAsyncIterator()
        }

        /// The next complete line without its `\n`, or `nil` at the end of the body.
        mutating func next() async throws -> String? {
            while true {
                if let newline = self.pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = Array(self.pending[..<newline])
                    self.pending.removeFirst(newline + 1)
                    return String(decoding: line, as: UTF8.self)
                }
                guard let buffer = try await self.iterator.next() else {
                    return nil
                }
                self.partsReceived += 1
                self.pending.append(contentsOf: buffer.readableBytesView)
            }
        }

        /// The next line parsed as a watch event.
        mutating func nextEvent() async throws -> WatchEvent? {
            guard let line = try await self.next() else { return nil }
            return try WatchEvent(line: line)
        }

        /// Bytes received after the last complete line.
        var leftover: [UInt8] { self.pending }
    }

    /// A decoded watch event line.
    struct WatchEvent {
        let line: String
        let type: String
        let object: [String: Any]

        init(line: String) throws {
            self.line = line
            let json = try JSON.object(line)
            self.type = json["type"] as? String ?? ""
            self.object = json["object"] as? [String: Any] ?? [:]
        }

        var metadata: [String: Any] { self.object["metadata"] as? [String: Any] ?? [:] }
        var name: String? { self.metadata["name"] as? String }
        var resourceVersion: String? { self.metadata["resourceVersion"] as? String }
    }

    /// Opens a streaming GET request (a watch) and returns the response head.
    static func openStream(
        _ client: HTTPClient,
        _ url: String,
        headers: [(String, String)] = []
    ) async throws
        -> HTTPClientResponse
    {
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers {
            request.headers.add(name: name, value: value)
        }
        return try await client.execute(request, timeout: .seconds(10))
    }
}
