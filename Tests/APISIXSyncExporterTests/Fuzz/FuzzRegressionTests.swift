import Testing

@testable import APISIXSyncExporter

/// Inputs on which a fuzz target (`Fuzz/`, run by `.ci/fuzz`, see `docs/fuzzing.md`) crashed, kept inline. Each must
/// now give a clear error instead of trapping.
@Suite struct FuzzRegressionTests {
    /// `fuzz-go-duration`, crash-80a745d555ac674a4345188a89e873ae0ad6c5d9 (base64 `OTk5OTk5OTk5OXM=`): below the
    /// 1e10 s limit of `parseSeconds`, but beyond what `Duration`'s Int64 nanoseconds hold, so `parse` trapped
    /// converting to Int64.
    @Test(arguments: ["9999999999s", "2562048h", "9223372037s", "106752d", "15251w"])
    func durationBeyondInt64NanosecondsIsTooLarge(input: String) {
        #expect(throws: GoDuration.ParseError(input: input, reason: "too large")) { try GoDuration.parse(input) }
    }

    /// The largest whole seconds `Duration` holds still parse, and `format` gives text that parses again.
    @Test func largestDurationStillParses() throws {
        let duration = try GoDuration.parse("9223372036s")
        #expect(duration == .seconds(9_223_372_036))
        #expect(GoDuration.format(duration) == "2562047h47m16s")
        #expect(try GoDuration.parse(GoDuration.format(duration)) == duration)
    }
}
