import Testing

@testable import APISIXSyncExporter

/// Kubernetes timestamps parsed without a formatter.
@Suite struct RFC3339Tests {
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", 0.0),
        ("2026-12-06T22:35:13Z", 1_796_596_513.0),
        ("2026-12-06T22:35:13.25Z", 1_796_596_513.25),
        ("2026-12-06T23:35:13+01:00", 1_796_596_513.0),
        ("2026-12-06T21:05:13.5-01:30", 1_796_596_513.5),
        ("2024-02-29t12:00:00z", 1_709_208_000.0),
        ("1969-12-31T23:59:59Z", -1.0),
    ])
    func parses(text: String, seconds: Double) {
        #expect(RFC3339.unixSeconds(text) == seconds)
    }

    @Test(arguments: [
        "", "2026-12-06", "2026-12-06T22:35:13", "2026-12-06 22:35:13Z", "2026-13-06T22:35:13Z",
        "2026-02-29T00:00:00Z", "2026-12-06T24:00:00Z", "2026-12-06T22:60:00Z", "2026-12-06T22:35:60Z",
        "2026-12-06T22:35:13.Z", "2026-12-06T22:35:13+0100", "2026-12-06T22:35:13+24:00", "2026-12-06T22:35:13Zjunk",
        "２０26-12-06T22:35:13Z", "-026-12-06T22:35:13Z",
        "2026-12-06T22:35:13." + String(repeating: "9", count: 80) + "Z",
    ])
    func rejects(text: String) {
        #expect(RFC3339.unixSeconds(text) == nil)
    }
}
