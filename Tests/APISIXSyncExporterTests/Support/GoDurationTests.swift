import Testing

@testable import APISIXSyncExporter

@Suite struct GoDurationTests {
    @Test(arguments: [
        ("100ms", 0.1), ("5s", 5), ("1h30m", 5400), ("1.5s", 1.5), ("0", 0), ("2m3s", 123), ("10us", 0.00001),
        ("250µs", 0.00025), ("24h", 86_400), ("1d", 86_400),
    ])
    func parsesGoDurations(input: String, seconds: Double) throws {
        #expect(abs(try GoDuration.parseSeconds(input) - seconds) < 1e-9)
    }

    @Test(arguments: ["", "5", "-1s", "5x", "s", "1..5s", "1.5", "abc", "5 s"])
    func rejectsMalformedDurations(input: String) {
        #expect(throws: GoDuration.ParseError.self) { try GoDuration.parseSeconds(input) }
    }

    @Test func formatsLikeGo() {
        #expect(GoDuration.format(seconds: 0.1) == "100ms")
        #expect(GoDuration.format(seconds: 5) == "5s")
        #expect(GoDuration.format(seconds: 5400) == "1h30m0s")
        #expect(GoDuration.format(seconds: 86_400) == "24h0m0s")
        #expect(GoDuration.format(seconds: 1.5) == "1.5s")
        #expect(GoDuration.format(seconds: 0) == "0s")
    }

    @Test func parsesIntoDuration() throws {
        #expect(try GoDuration.parse("1h30m") == .seconds(5400))
    }
}
