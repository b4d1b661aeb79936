import AsyncHTTPClient
import Foundation
import NIOCore
import SimulatedCluster
import TestSupport

extension SimulatedClusterTests {
    /// Helpers of the tests of the APISIX deployment shapes (v2, inline upstreams, standalone, Control API, several
    /// instances).
    enum APISIXShapes {
        static let key = "edd1c9f034335f136f87ad84b625c8f1"

        /// Starts `fake`, runs `body` with a client, and stops it.
        static func withStarted(
            _ fake: FakeAPISIXAdmin,
            connectTimeout: TimeAmount = .seconds(5),
            _ body: (HTTPClient) async throws -> Void
        ) async throws {
            try await fake.start()
            do {
                try await withTestClient(connectTimeout: connectTimeout) { client in try await body(client) }
            } catch {
                await fake.stop()
                throw error
            }
            await fake.stop()
        }

        /// Sends a GET (or, with `head`, a HEAD) request with the admin key and reads the whole response.
        static func send(
            _ client: HTTPClient,
            _ url: String,
            head: Bool = false,
            key: String? = Self.key
        ) async throws -> FetchedResponse {
            var request = HTTPClientRequest(url: url)
            if head {
                request.method = .HEAD
            }
            if let key {
                request.headers.add(name: "X-API-KEY", value: key)
            }
            let response = try await client.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 16 * 1024 * 1024)
            return FetchedResponse(
                status: Int(response.status.code),
                headers: headerMap(response),
                body: Array(body.readableBytesView)
            )
        }

        /// The response body parsed as any JSON value.
        static func json(_ response: FetchedResponse) throws -> Any {
            try JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed])
        }

        /// `value` of an item as a dictionary, or an empty one.
        static func value(_ item: [String: Any]) -> [String: Any] {
            item["value"] as? [String: Any] ?? [:]
        }

        /// Array nodes as `host:port` strings.
        static func nodeKeys(_ nodes: Any?) -> Set<String> {
            let list = nodes as? [[String: Any]] ?? []
            return Set(
                list.compactMap { node in
                    guard let host = node["host"] as? String, let port = node["port"] as? Int else { return nil }
                    return "\(host):\(port)"
                }
            )
        }

        /// Nodes with weight 1 from `host:port` strings.
        static func nodes(_ keys: [String]) -> [FakeUpstream.Node] {
            keys.map { key in
                let parts = key.split(separator: ":")
                return FakeUpstream.Node(host: String(parts[0]), port: Int(parts[1]), weight: 1)
            }
        }
    }
}
