extension WorkloadVerdict {
    /// The verdict of one workload's termination, checked in this order: a known preStop delay above 0 that is not
    /// below `grace` is `.exceedsGrace` (the pod is killed mid-sleep); an unreadable hook is `.unknown`; no p99 lag
    /// (nil or NaN) is `.noData`; a delay below `lagP99` or below `recommendedPreStop` is `.tooShort`; else `.ok`.
    public static func decide(
        preStop: PreStopAction,
        grace: Int,
        lagP99: Double?,
        recommendedPreStop: Int?
    ) -> WorkloadVerdict {
        guard let seconds = preStop.seconds else { return .unknown }
        if seconds > 0, seconds >= grace { return .exceedsGrace }
        guard let lagP99, !lagP99.isNaN else { return .noData }
        if Double(seconds) < lagP99 { return .tooShort }
        if let recommendedPreStop, seconds < recommendedPreStop { return .tooShort }
        return .ok
    }
}
