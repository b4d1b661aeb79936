import NIOCore
import Synchronization

/// The exporter's metric families (the names are a contract: dashboards and alerts use them).
///
/// Counters and histograms are updated when events happen and kept per label values; gauges describing current
/// state are rendered from a snapshot at each scrape (``exposition(gauges:)``), so a series of a Service that is gone
/// simply is not written. Series of deleted Services are dropped with ``removeService(_:)``.
///
/// The exposition is written here rather than through a metrics library: with one series per Service and change,
/// registering series one by one in swift-prometheus copied the whole family each time (O(n²) at 10,000 Services).
public final class ExporterMetrics: Sendable {
    /// Bucket bounds of both lag histograms, in seconds.
    public static let lagBuckets: [Double] = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 45, 60, 120, 300]
    static let namespace = "apisix_sync"
    private static let bucketLabels = lagBuckets.map { "\($0)" }

    let serviceLabels: Bool
    private let families: Families
    private let series = Mutex(MetricSeriesStore())

    struct Families: Sendable {
        let lag: MetricFamily
        let censoredLagUpper: MetricFamily
        let instanceLag: MetricFamily
        let changes: MetricFamily
        let removalsOverPrestop: MetricFamily
        let removalStage: MetricFamily
        let removalStageSkipped: MetricFamily
        let routableAfterPrestop: MetricFamily
        let pending: MetricFamily
        let oldestPending: MetricFamily
        let stale: MetricFamily
        let missing: MetricFamily
        let recommendedPrestop: MetricFamily
        let recommendedGrace: MetricFamily
        let configuredPrestop: MetricFamily
        let recommendationSamples: MetricFamily
        let workloadInfo: MetricFamily
        let workloadPrestop: MetricFamily
        let workloadGrace: MetricFamily
        let workloadLagP99: MetricFamily
        let workloadRecommended: MetricFamily
        let podWatchEnabled: MetricFamily
        let workloadsUnresolved: MetricFamily
        let sourceUp: MetricFamily
        let sourceErrors: MetricFamily
        let sourceLastSuccess: MetricFamily
        let upstreams: MetricFamily
        let buildInfo: MetricFamily
    }

    /// - Parameters:
    ///   - resolution: the fast-poll interval in seconds, quoted in HELP texts.
    ///   - serviceLabels: false drops the `namespace` and `service` labels (`--metrics.service-labels=false`).
    public init(resolution: Double, serviceLabels: Bool = true) {
        self.serviceLabels = serviceLabels
        let res = GoDuration.format(seconds: resolution)
        let service = serviceLabels ? ["namespace", "service"] : []
        let source = ["source", "target"]
        let workload = ["namespace", "workload", "kind"]
        families = Families(
            lag: MetricFamily(
                "lag_seconds",
                .histogram,
                labels: service + ["change"],
                help: "Time from receiving an EndpointSlice change to every APISIX target reflecting it, per Service "
                    + "(resolution: fast-poll interval \(res) plus request time)."
            ),
            censoredLagUpper: MetricFamily(
                "censored_lag_upper_bound_seconds",
                .histogram,
                labels: service + ["change"],
                help: "Upper bounds of censored lags: changes whose end is known only within an interval (a request "
                    + "failed or polling stalled in between), per Service."
            ),
            instanceLag: MetricFamily(
                "instance_lag_seconds",
                .histogram,
                labels: ["apisix", "change"],
                help: "Time from receiving an EndpointSlice change to one APISIX target reflecting it "
                    + "(resolution: fast-poll interval \(res) plus request time)."
            ),
            changes: MetricFamily(
                "changes_total",
                .counter,
                labels: service + ["change", "outcome"],
                help: "Endpoint changes by how they ended: synced (lag recorded), censored (lag within bounds), "
                    + "superseded, timeout, unobserved."
            ),
            removalsOverPrestop: MetricFamily(
                "removals_over_prestop_total",
                .counter,
                labels: service,
                help: "Endpoint removals whose lag exceeded the configured preStop delay."
            ),
            removalStage: MetricFamily(
                "removal_stage_seconds",
                .histogram,
                labels: ["stage"],
                help: "Endpoint removals timed from their pod's deletion, by stage: kubernetes (pod deletion to "
                    + "EndpointSlice change), apisix (EndpointSlice change to every APISIX target), end_to_end (sum); "
                    + "over all Services (per Service: apisix_sync_lag_seconds and the workload gauges)."
            ),
            removalStageSkipped: MetricFamily(
                "removal_stage_skipped_total",
                .counter,
                labels: ["reason"],
                help: "Endpoint removals timed from the EndpointSlice change only, by why the pod's deletion could "
                    + "not be used."
            ),
            routableAfterPrestop: MetricFamily(
                "routable_after_prestop_seconds_total",
                .counter,
                labels: service,
                help: "Seconds terminated pods stayed routable in APISIX after their own preStop ended (sum over "
                    + "removals of end-to-end lag minus the workload's preStop, when positive)."
            ),
            pending: MetricFamily(
                "pending_changes",
                .gauge,
                labels: service + ["change"],
                help: "Endpoint changes not yet reflected by every APISIX target."
            ),
            oldestPending: MetricFamily(
                "oldest_pending_change_timestamp_seconds",
                .gauge,
                labels: service + ["change"],
                help: "Unix time the oldest pending endpoint change was received; absent when none is pending."
            ),
            stale: MetricFamily(
                "stale_nodes",
                .gauge,
                labels: service,
                help: "Nodes APISIX routes to that Kubernetes does not list as ready (worst APISIX target, summed over "
                    + "ports)."
            ),
            missing: MetricFamily(
                "missing_nodes",
                .gauge,
                labels: service,
                help: "Ready endpoints APISIX does not route to (worst APISIX target, summed over ports)."
            ),
            recommendedPrestop: MetricFamily(
                "recommended_prestop_seconds",
                .gauge,
                labels: [],
                help: "Recommended preStop sleep: ceil(removal-lag quantile + margin); absent until enough samples."
            ),
            recommendedGrace: MetricFamily(
                "recommended_termination_grace_period_seconds",
                .gauge,
                labels: [],
                help: "Recommended terminationGracePeriodSeconds: max(30, preStop + shutdown budget); absent until "
                    + "enough samples."
            ),
            configuredPrestop: MetricFamily(
                "configured_prestop_seconds",
                .gauge,
                labels: [],
                help: "The preStop delay configured today (--prestop-delay), to compare the lag with."
            ),
            recommendationSamples: MetricFamily(
                "recommendation_samples",
                .gauge,
                labels: [],
                help: "Removal-lag samples in the recommendation window."
            ),
            workloadInfo: MetricFamily(
                "workload_info",
                .gauge,
                labels: workload + ["prestop", "verdict"],
                help: "Workloads behind measured Services: the form of their preStop and the verdict (ok, too_short, "
                    + "unknown, no_data, prestop_exceeds_grace); the value is always 1."
            ),
            workloadPrestop: MetricFamily(
                "workload_prestop_seconds",
                .gauge,
                labels: workload,
                help: "The preStop delay read from the workload's pod spec; absent when it cannot be read."
            ),
            workloadGrace: MetricFamily(
                "workload_termination_grace_period_seconds",
                .gauge,
                labels: workload,
                help: "terminationGracePeriodSeconds of the workload's pods."
            ),
            workloadLagP99: MetricFamily(
                "workload_removal_lag_p99_seconds",
                .gauge,
                labels: workload,
                help: "p99 end-to-end removal lag of the workload's Services; absent until enough samples."
            ),
            workloadRecommended: MetricFamily(
                "workload_recommended_prestop_seconds",
                .gauge,
                labels: workload,
                help: "Recommended preStop sleep for the workload, from its Services' removal lags."
            ),
            podWatchEnabled: MetricFamily(
                "pod_watch_enabled",
                .gauge,
                labels: [],
                help: "1 if removals are timed from pod deletion (pods and ReplicaSets watched), 0 if turned off or "
                    + "forbidden."
            ),
            workloadsUnresolved: MetricFamily(
                "workloads_unresolved",
                .gauge,
                labels: ["reason"],
                help: "Workloads behind measured Services whose owner chain did not resolve, by reason "
                    + "(owner_missing: the pods' ReplicaSet is not known; the ReplicaSet stands for the workload)."
            ),
            sourceUp: MetricFamily(
                "source_up",
                .gauge,
                labels: source,
                help: "1 if the last request to the source succeeded, else 0."
            ),
            sourceErrors: MetricFamily(
                "source_errors_total",
                .counter,
                labels: source + ["reason"],
                help: "Failed requests to a source, by reason."
            ),
            sourceLastSuccess: MetricFamily(
                "source_last_success_timestamp_seconds",
                .gauge,
                labels: source,
                help: "Unix time of the last successful request to the source."
            ),
            upstreams: MetricFamily(
                "upstreams",
                .gauge,
                labels: ["apisix", "state"],
                help: "APISIX upstreams by mapping state: mapped to a Service port, unmapped, or using discovery."
            ),
            buildInfo: MetricFamily(
                "build_info",
                .gauge,
                labels: ["version", "revision", "swift_version"],
                help: "Build information of the exporter; the value is always 1."
            )
        )
    }

    // MARK: Events

    /// Records a Service-level lag (outcome `synced`).
    public func recordLag(_ lag: Double, service: ServiceKey, kind: ChangeKind, configuredDelay: Double) {
        let values = labelValues(service)
        record(lag, in: families.lag, values + [kind.rawValue])
        if kind == .remove, lag > configuredDelay {
            increment(families.removalsOverPrestop, values)
        }
    }

    /// Records the upper bound of a censored Service-level lag (outcome `censored`); a removal whose lower bound
    /// already exceeds the configured delay counts as over it.
    public func recordCensoredLag(
        lowerBound: Double,
        upperBound: Double,
        service: ServiceKey,
        kind: ChangeKind,
        configuredDelay: Double
    ) {
        let values = labelValues(service)
        record(upperBound, in: families.censoredLagUpper, values + [kind.rawValue])
        if kind == .remove, lowerBound > configuredDelay {
            increment(families.removalsOverPrestop, values)
        }
    }

    /// Records the stages of a removal timed from its pod's deletion.
    ///
    /// Over all Services: per Service, three more histograms would triple the exposition at 10,000 Services (31 MB
    /// instead of 8 at 20 pod deletions/s), and the per-Service APISIX stage is `apisix_sync_lag_seconds`.
    public func recordStages(kubernetes: Double, apisix: Double) {
        record(kubernetes, in: families.removalStage, ["kubernetes"])
        record(apisix, in: families.removalStage, ["apisix"])
        record(kubernetes + apisix, in: families.removalStage, ["end_to_end"])
    }

    /// Counts removals whose pod's deletion could not be used.
    public func countStageSkipped(_ reason: RemovalStageSkip, count: Int = 1) {
        guard count > 0 else { return }
        increment(families.removalStageSkipped, [reason.rawValue], by: UInt64(count))
    }

    /// Adds seconds a terminated pod stayed routable after its preStop ended.
    public func addRoutableAfterPrestop(_ seconds: Double, service: ServiceKey) {
        guard seconds > 0, seconds.isFinite else { return }
        series.withLock {
            $0.sums[families.routableAfterPrestop.name, default: [:]][labelValues(service), default: 0] += seconds
        }
    }

    /// Records one APISIX target's lag.
    public func recordInstanceLag(_ lag: Double, target: String, kind: ChangeKind) {
        record(lag, in: families.instanceLag, [target, kind.rawValue])
    }

    /// Counts a change by outcome.
    public func countChange(service: ServiceKey, kind: ChangeKind, outcome: ChangeOutcome) {
        increment(families.changes, labelValues(service) + [kind.rawValue, outcome.rawValue])
    }

    /// Counts a failed request to a source.
    public func countSourceError(source: String, target: String, reason: String) {
        increment(families.sourceErrors, [source, target, reason])
    }

    /// Sets the build information series.
    public func setBuildInfo(version: String, revision: String, swiftVersion: String) {
        series.withLock { $0.buildInfo = [version, revision, swiftVersion] }
    }

    /// Drops every series of a deleted Service (its gauges are not rendered once it is out of the snapshot).
    public func removeService(_ service: ServiceKey) {
        guard serviceLabels else { return }
        let values = labelValues(service)
        series.withLock { store in
            for kind in ChangeKind.allCases {
                store.histograms[families.lag.name]?[values + [kind.rawValue]] = nil
                store.histograms[families.censoredLagUpper.name]?[values + [kind.rawValue]] = nil
                for outcome in ChangeOutcome.allCases {
                    store.counters[families.changes.name]?[values + [kind.rawValue, outcome.rawValue]] = nil
                }
            }
            store.counters[families.removalsOverPrestop.name]?[values] = nil
            store.sums[families.routableAfterPrestop.name]?[values] = nil
        }
    }

    /// Drops the counter and histogram series of an APISIX target that left (a discovered pod that went away); its
    /// gauges go with the next snapshot.
    public func removeTarget(_ target: String) {
        series.withLock { store in
            for kind in ChangeKind.allCases {
                store.histograms[families.instanceLag.name]?[[target, kind.rawValue]] = nil
            }
            store.removeSeries(of: families.sourceErrors.name) { $0[0] == "apisix" && $0[1] == target }
        }
    }

    private func increment(_ family: MetricFamily, _ values: [String], by count: UInt64 = 1) {
        series.withLock { $0.counters[family.name, default: [:]][values, default: 0] += count }
    }

    private func record(_ value: Double, in family: MetricFamily, _ values: [String]) {
        series.withLock { store in
            store.histograms[family.name, default: [:]][
                values,
                default: HistogramCounts(bucketCount: Self.lagBuckets.count)
            ].record(value, bounds: Self.lagBuckets)
        }
    }

    func labelValues(_ service: ServiceKey) -> [String] {
        serviceLabels ? [service.namespace, service.name] : []
    }

    // MARK: Exposition

    /// The whole exposition in the Prometheus text format: the recorded counters and histograms, and the gauges of
    /// `snapshot`.
    public func exposition(gauges snapshot: GaugeSnapshot) -> [UInt8] {
        exposition(gauges: snapshot, chunkSize: Exposition.defaultChunkSize).reduce(into: []) {
            $0 += $1.readableBytesView
        }
    }

    /// ``exposition(gauges:)`` rendered as it is read, in chunks of whole lines, as `/metrics` writes it. The
    /// recorded series are copied now; the rendering happens while iterating.
    public func exposition(gauges snapshot: GaugeSnapshot, chunkSize: Int) -> Exposition {
        let store = series.withLock { $0 }  // a copy: rendering does not hold the lock
        var steps = Exposition.Builder()
        if let info = store.buildInfo {
            write(families.buildInfo, [(info, 1)], into: &steps)
        }
        writeHistograms(families.lag, store, into: &steps)
        writeHistograms(families.censoredLagUpper, store, into: &steps)
        writeHistograms(families.instanceLag, store, into: &steps)
        writeCounters(families.changes, store, into: &steps)
        writeCounters(families.removalsOverPrestop, store, into: &steps)
        writeHistograms(families.removalStage, store, into: &steps)
        writeCounters(families.removalStageSkipped, store, into: &steps)
        writeSums(families.routableAfterPrestop, store, into: &steps)
        writeWorkloads(snapshot, into: &steps)
        writeServiceGauges(snapshot, into: &steps)
        writeCounters(families.sourceErrors, store, into: &steps)
        writeSourceGauges(snapshot, into: &steps)
        if let process = snapshot.process { writeProcess(process, into: &steps) }
        return Exposition(steps: steps.steps, chunkSize: chunkSize)
    }

    /// ``exposition(gauges:)`` as a string (tests, debugging).
    public func text(gauges snapshot: GaugeSnapshot = GaugeSnapshot()) -> String {
        String(decoding: exposition(gauges: snapshot), as: UTF8.self)
    }

    private func writeCounters(_ family: MetricFamily, _ store: MetricSeriesStore, into steps: inout Exposition.Builder)
    {
        guard let series = store.counters[family.name], !series.isEmpty else { return }
        steps.add { $0.header(family) }
        steps.add(rows: Array(series)) { row, writer in
            let labels = PrometheusTextWriter.labelPairs(names: family.labelNames, values: row.key)
            writer.sample(family.name, labels: labels, value: String(row.value))
        }
    }

    private func writeSums(_ family: MetricFamily, _ store: MetricSeriesStore, into steps: inout Exposition.Builder) {
        guard let series = store.sums[family.name], !series.isEmpty else { return }
        steps.add { $0.header(family) }
        steps.add(rows: Array(series)) { row, writer in
            let labels = PrometheusTextWriter.labelPairs(names: family.labelNames, values: row.key)
            writer.sample(family.name, labels: labels, value: PrometheusTextWriter.format(row.value))
        }
    }

    private func writeHistograms(
        _ family: MetricFamily,
        _ store: MetricSeriesStore,
        into steps: inout Exposition.Builder
    ) {
        guard let series = store.histograms[family.name], !series.isEmpty else { return }
        steps.add { $0.header(family) }
        let lines = PrometheusTextWriter.HistogramLines(name: family.name, bounds: Self.bucketLabels)
        steps.add(rows: Array(series)) { row, writer in
            writer.histogram(
                lines,
                labels: PrometheusTextWriter.labelPairs(names: family.labelNames, values: row.key),
                cumulative: row.value.cumulative,
                count: row.value.count,
                sum: row.value.sum
            )
        }
    }

    /// Writes a gauge family; non-finite values are left out, and a family without series is not written.
    private func write(_ family: MetricFamily, _ series: [([String], Double)], into steps: inout Exposition.Builder) {
        let finite = series.filter { $0.1.isFinite }
        guard !finite.isEmpty else { return }
        steps.add { $0.header(family) }
        steps.add(rows: finite) { row, writer in
            let labels = PrometheusTextWriter.labelPairs(names: family.labelNames, values: row.0)
            writer.sample(family.name, labels: labels, value: PrometheusTextWriter.format(row.1))
        }
    }

    /// One Service's gauges and how its labels are written.
    private struct ServiceGaugeRow: Sendable {
        var namespace = ""
        var name = ""
        /// The label pairs when they are not two plain values: escaped values, or none without service labels.
        var labels: [UInt8]?
        var state: GaugeSnapshot.ServiceState

        func write(
            _ plain: PrometheusTextWriter.PairGaugeLines,
            _ general: PrometheusTextWriter.GaugeLines,
            count: Int,
            into writer: inout PrometheusTextWriter
        ) {
            if let labels {
                writer.gauge(general, labels: labels, count: count)
            } else {
                writer.gauge(plain, namespace, name, count: count)
            }
        }
    }

    private func writeServiceGauges(_ snapshot: GaugeSnapshot, into steps: inout Exposition.Builder) {
        // Without service labels every Service folds into one series.
        var rows: [ServiceGaugeRow] = []
        if serviceLabels {
            rows.reserveCapacity(snapshot.services.count)
            for (service, state) in snapshot.services {
                var row = ServiceGaugeRow(namespace: service.namespace, name: service.name, state: state)
                if PrometheusTextWriter.needsEscaping(service.namespace)
                    || PrometheusTextWriter.needsEscaping(service.name)
                {
                    row.labels = PrometheusTextWriter.labelPairs(
                        names: families.stale.labelNames,
                        values: labelValues(service)
                    )
                }
                rows.append(row)
            }
        } else if !snapshot.services.isEmpty {
            var total = GaugeSnapshot.ServiceState()
            for state in snapshot.services.values { total.add(state) }
            rows.append(ServiceGaugeRow(labels: [], state: total))
        }
        guard !rows.isEmpty else { return }
        let serviceRows = rows
        let families = families
        let names = (families.stale.labelNames.first ?? "", families.stale.labelNames.last ?? "")
        func lines(
            _ family: MetricFamily,
            extra: (name: String, value: String)? = nil
        ) -> (
            plain: PrometheusTextWriter.PairGaugeLines, general: PrometheusTextWriter.GaugeLines
        ) {
            (.init(name: family.name, labels: names, extra: extra), .init(name: family.name, extra: extra))
        }
        steps.add { $0.header(families.pending) }
        let pendingLines = ChangeKind.allCases.map {
            (kind: $0, lines: lines(families.pending, extra: ("change", $0.rawValue)))
        }
        steps.add(count: serviceRows.count) { index, writer in
            for (kind, lines) in pendingLines {
                serviceRows[index].write(
                    lines.plain,
                    lines.general,
                    count: serviceRows[index].state.pending[kind] ?? 0,
                    into: &writer
                )
            }
        }
        let oldest = rows.filter { !$0.state.oldestPending.isEmpty }
        if !oldest.isEmpty { steps.add { $0.header(families.oldestPending) } }
        steps.add(rows: oldest) { [families] row, writer in
            let labels =
                row.labels
                ?? PrometheusTextWriter.labelPairs(names: families.stale.labelNames, values: [row.namespace, row.name])
            for kind in ChangeKind.allCases {
                guard let time = row.state.oldestPending[kind], time.isFinite else { continue }
                writer.sample(
                    families.oldestPending.name,
                    labels: labels,
                    extra: ("change", kind.rawValue),
                    value: PrometheusTextWriter.format(time)
                )
            }
        }
        // The families with one line per Service. The count is read in place (a closure taking the row copied it
        // per line: 7 M instructions per scrape at 10,000 Services).
        func addPerService(_ family: MetricFamily, stale: Bool) {
            steps.add { $0.header(family) }
            let familyLines = lines(family)
            steps.add(count: serviceRows.count) { index, writer in
                serviceRows[index].write(
                    familyLines.plain,
                    familyLines.general,
                    count: stale ? serviceRows[index].state.stale : serviceRows[index].state.missing,
                    into: &writer
                )
            }
        }
        addPerService(families.stale, stale: true)
        addPerService(families.missing, stale: false)
    }

    private func writeSourceGauges(_ snapshot: GaugeSnapshot, into steps: inout Exposition.Builder) {
        write(
            families.sourceUp,
            snapshot.sources.map { ([$0.source, $0.target], $0.up ? 1 : 0) },
            into: &steps
        )
        write(
            families.sourceLastSuccess,
            snapshot.sources.compactMap { source in source.lastSuccess.map { ([source.source, source.target], $0) } },
            into: &steps
        )
        var upstreams: [([String], Double)] = []
        for (target, counts) in snapshot.upstreams.sorted(by: { $0.key < $1.key }) {
            for state in UpstreamMapping.State.allCases {
                upstreams.append(([target, state.rawValue], Double(counts[state] ?? 0)))
            }
        }
        write(families.upstreams, upstreams, into: &steps)
        if let recommendation = snapshot.recommendation {
            write(families.recommendationSamples, [([], Double(recommendation.samples))], into: &steps)
            if let preStop = recommendation.preStopSeconds {
                write(families.recommendedPrestop, [([], Double(preStop))], into: &steps)
            }
            if let grace = recommendation.terminationGracePeriodSeconds {
                write(families.recommendedGrace, [([], Double(grace))], into: &steps)
            }
        }
        write(families.configuredPrestop, [([], snapshot.configuredDelay)], into: &steps)
    }

    private func writeWorkloads(_ snapshot: GaugeSnapshot, into steps: inout Exposition.Builder) {
        if let enabled = snapshot.podWatchEnabled {
            write(families.podWatchEnabled, [([], enabled ? 1 : 0)], into: &steps)
        }
        let reports = snapshot.workloads
        guard !reports.isEmpty else { return }
        var gaps: [String: Int] = [:]
        for report in reports { if let gap = report.ownerGap { gaps[gap, default: 0] += 1 } }
        write(
            families.workloadsUnresolved,
            PodIndex.WorkloadGap.allCases.map { ([$0.rawValue], Double(gaps[$0.rawValue] ?? 0)) },
            into: &steps
        )
        // Each row's label pairs are escaped once and shared by its five series.
        let names = Array(families.workloadGrace.labelNames.prefix(3))
        let rows = reports.map { report in
            (
                report: report,
                labels: PrometheusTextWriter.labelPairs(
                    names: names,
                    values: [report.workload.namespace, report.workload.name, report.workload.kind]
                )
            )
        }
        let info = families.workloadInfo
        let infoNames = Array(info.labelNames.dropFirst(3))
        steps.add { $0.header(info) }
        steps.add(rows: rows) { row, writer in
            let pairs = PrometheusTextWriter.labelPairs(
                names: infoNames,
                values: [row.report.preStop.form, row.report.verdict.rawValue]
            )
            writer.sample(info.name, labels: row.labels + [UInt8(ascii: ",")] + pairs, value: "1")
        }
        func writeRows(_ family: MetricFamily, _ value: @escaping @Sendable (WorkloadReport) -> Double?) {
            let written = rows.compactMap { row in
                value(row.report).flatMap { $0.isFinite ? (labels: row.labels, value: $0) : nil }
            }
            guard !written.isEmpty else { return }
            steps.add { $0.header(family) }
            steps.add(rows: written) { row, writer in
                writer.sample(family.name, labels: row.labels, number: row.value)
            }
        }
        writeRows(families.workloadPrestop) { $0.preStop.seconds.map(Double.init) }
        writeRows(families.workloadGrace) { Double($0.terminationGracePeriodSeconds) }
        writeRows(families.workloadLagP99) { $0.removalLagP99 }
        writeRows(families.workloadRecommended) { $0.recommendedPreStop.map(Double.init) }
    }

    private static let processFamilies = (
        cpu: MetricFamily(
            "process_cpu_seconds_total",
            .counter,
            help: "Total user and system CPU time spent in seconds.",
            prefixed: false
        ),
        resident: MetricFamily(
            "process_resident_memory_bytes",
            .gauge,
            help: "Resident memory size in bytes.",
            prefixed: false
        ),
        virtual: MetricFamily(
            "process_virtual_memory_bytes",
            .gauge,
            help: "Virtual memory size in bytes.",
            prefixed: false
        ),
        start: MetricFamily(
            "process_start_time_seconds",
            .gauge,
            help: "Start time of the process since unix epoch in seconds.",
            prefixed: false
        ),
        openFDs: MetricFamily(
            "process_open_fds",
            .gauge,
            help: "Number of open file descriptors.",
            prefixed: false
        ),
        maxFDs: MetricFamily(
            "process_max_fds",
            .gauge,
            help: "Maximum number of open file descriptors.",
            prefixed: false
        )
    )

    private func writeProcess(_ process: ProcessMetrics, into steps: inout Exposition.Builder) {
        let families = Self.processFamilies
        write(families.cpu, [([], process.cpuSeconds)], into: &steps)
        write(families.resident, [([], process.residentMemoryBytes)], into: &steps)
        write(families.virtual, [([], process.virtualMemoryBytes)], into: &steps)
        write(families.start, [([], process.startTime)], into: &steps)
        if let open = process.openFileDescriptors { write(families.openFDs, [([], open)], into: &steps) }
        if let max = process.maxFileDescriptors { write(families.maxFDs, [([], max)], into: &steps) }
    }
}
