/// Builds the workload table from the workloads behind each Service and the Services' removal windows. Pure.
enum WorkloadTable {
    /// The patch for a workload at risk: the recommended sleep (a workload whose sleep outlasts its grace period
    /// keeps its sleep until there is a recommendation) and a grace period that covers it plus the shutdown budget.
    static func patch(for report: WorkloadReport, policy: RecommendationPolicy) -> WorkloadPatch? {
        guard report.verdict.atRisk, let container = report.container,
            let preStop = report.recommendedPreStop ?? report.preStop.seconds
        else { return nil }
        let covering = preStop + Int(policy.shutdownBudget.rounded(.up))
        return WorkloadPatch(
            workload: report.workload,
            container: container,
            current: report.preStop,
            recommendedPreStop: preStop,
            currentGrace: report.terminationGracePeriodSeconds,
            recommendedGrace: max(report.recommendedTerminationGracePeriodSeconds ?? 0, covering)
        )
    }

    static func reports(
        serviceWorkloads: [ServiceKey: [PodTiming.ServiceWorkload]],
        removals: [ServiceKey: SampleWindow.Summary],
        policy: RecommendationPolicy,
        patches: Bool = true
    ) -> [WorkloadReport] {
        var byWorkload: [WorkloadKey: (first: PodTiming.ServiceWorkload, services: [ServiceKey])] = [:]
        for (service, workloads) in serviceWorkloads {
            for entry in workloads {
                byWorkload[entry.workload, default: (entry, [])].services.append(service)
            }
        }
        let reports = byWorkload.map { workload, entry in
            let services = entry.services.sorted()
            let windows = services.compactMap { removals[$0] }
            let summary = windows.count == 1 ? windows[0] : SampleWindow.Summary.merged(windows)
            let recommendation = Recommendation.compute(from: summary, policy: policy)
            let p99 = recommendation.status == .ok ? recommendation.observedQuantile : nil
            let preStop = entry.first.container?.preStop ?? .unknown(form: "ambiguous")
            let grace = entry.first.terminationGracePeriodSeconds
            let verdict = WorkloadVerdict.decide(
                preStop: preStop,
                grace: grace,
                lagP99: p99,
                recommendedPreStop: recommendation.preStopSeconds
            )
            var report = WorkloadReport(
                workload: workload,
                services: services,
                container: entry.first.container?.name,
                preStop: preStop,
                terminationGracePeriodSeconds: grace,
                removalLagP99: p99,
                samples: summary.count,
                recommendedPreStop: recommendation.preStopSeconds,
                recommendedTerminationGracePeriodSeconds: recommendation.terminationGracePeriodSeconds,
                verdict: verdict
            )
            report.ownerGap = entry.first.gap?.rawValue
            if patches { report.patch = patch(for: report, policy: policy) }
            return report
        }
        // At risk first, then by workload. Sorting the keys and not the reports: 10,000 reports moved around a sort
        // were a third of a scrape's workload cost.
        let keys = reports.map { (verdict: $0.verdict, workload: $0.workload) }
        let order = keys.indices.sorted { keys[$0] < keys[$1] }
        return order.map { reports[$0] }
    }
}
