extension SampleWindow.Summary {
    /// The samples of several windows together (the Services of one workload).
    public static func merged(_ summaries: [SampleWindow.Summary]) -> SampleWindow.Summary {
        var counts = SampleCounts()
        for summary in summaries {
            counts.exact += summary.sampleCounts.exact
            counts.censored += summary.sampleCounts.censored
            counts.censoredWide += summary.sampleCounts.censoredWide
            counts.rightCensored += summary.sampleCounts.rightCensored
        }
        return SampleWindow.Summary(
            sorted: summaries.flatMap(\.sorted).sorted(),
            rightCensored: summaries.flatMap(\.rightCensored),
            sampleCounts: counts
        )
    }
}
