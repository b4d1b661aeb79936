import Foundation
import Testing

@testable import APISIXSyncExporter

/// Bodies that echo the Admin API key lose it before they can reach an error message.
@Suite struct AdminKeyRedactionTests {
    @Test func everyCopyOfTheKeyIsReplacedInErrorAndSmallBodies() async throws {
        let target = try #require(APISIXTarget(adminURL: "http://127.0.0.1:9180"))
        let client = APISIXAdminClient(target: target, apiKey: "k3y-k3y", maxResponseBytes: 1 << 20)
        let echo = Data("x-api-key=k3y-k3y; again k3y-k3yk3y-k3y end".utf8)
        let expected = "x-api-key=(admin key); again (admin key)(admin key) end"
        #expect(String(decoding: client.transport.redactingKey(in: echo, status: 400), as: UTF8.self) == expected)
        #expect(String(decoding: client.transport.redactingKey(in: echo, status: 200), as: UTF8.self) == expected)
        // A full list (a 200 above the scan limit) is passed through as it is.
        let big = Data(repeating: UInt8(ascii: "a"), count: APISIXHTTPTransport.redactionScanLimit + 1) + echo
        #expect(client.transport.redactingKey(in: big, status: 200) == big)
        #expect(
            !String(decoding: client.transport.redactingKey(in: big, status: 503), as: UTF8.self).contains("k3y-k3y")
        )
        let keyless = APISIXAdminClient(target: target, apiKey: nil, maxResponseBytes: 1 << 20)
        #expect(keyless.transport.redactingKey(in: echo, status: 400) == echo)
    }
}
