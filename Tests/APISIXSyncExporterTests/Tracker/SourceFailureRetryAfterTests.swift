import NIOHTTP1
import Testing

@testable import APISIXSyncExporter

@Suite struct SourceFailureRetryAfterTests {
    @Test(
        arguments: [
            ("3", 3.0), (" 3 ", 3), ("0", 0), ("86400", SourceFailure.maximumRetryAfter),
            ("inf", nil), ("nan", nil), ("-1", nil), ("1.5", nil), ("1e9", nil), ("Wed, 21 Oct 2015 07:28:00 GMT", nil),
            ("", nil),
        ] as [(String, Double?)]
    )
    func onlyDelaySecondsAreHonouredAndCapped(header: String, expected: Double?) {
        #expect(SourceFailure.retryAfter(HTTPHeaders([("Retry-After", header)])) == expected)
    }

    @Test func noHeaderMeansTheNormalBackoff() {
        #expect(SourceFailure.retryAfter(HTTPHeaders()) == nil)
        #expect(SourceFailure.http(status: 429, headers: ["Retry-After": "2"], "x").retryAfter == 2)
        #expect(SourceFailure.http(status: 429, headers: ["Retry-After": "2"], "x").reason == .rateLimited)
    }
}
