import APISIXSyncDemo
import Foundation
import SimulatedCluster

/// The exporter's records of one accuracy run matched with the truth, the numbers printed, and the verdict.
///
/// A record is matched to the truth record of the same Service port, node and direction whose Kubernetes time is
/// nearest the record's estimated start (``ExporterProcess/Record/estimatedStart``), within 2 s; exact samples are
/// matched first, then censored intervals, then superseded bounds, each truth record at most once.
///
/// The run fails when the exporter's recommendation is missing or below the truth's preStop, when an exact sample
/// has no truth (false) or when one is early (measured below the true lag by more than 20 ms). Everything else is
/// reported only.
struct AccuracyReport {
    let truth: [TruthRecord]
    let records: [ExporterProcess.Record]
    let script: AccuracyBenchmark.Script
    let recommendation: [String: Any]
    let fastPollInterval: Double
    let quantile: Double
    let margin: Double
    let verbose: Bool
    /// With the etcd source: every write's way from the fake Admin API (the truth's time) into etcd.
    let mirroredWrites: [DemoEtcd.MirroredWrite]

    /// How far an exact sample may lie below the truth before it is early (the watch's own latency).
    static let earlyTolerance = 0.02
    /// How far from the truth a record's estimated start may be to match it.
    static let matchWindow = 2.0

    /// The truth record each record was matched to (by index), aligned with ``records``.
    let matches: [Int?]

    init(
        truth: [TruthRecord],
        records: [ExporterProcess.Record],
        script: AccuracyBenchmark.Script,
        recommendation: [String: Any],
        fastPollInterval: Double,
        quantile: Double,
        margin: Double,
        verbose: Bool,
        mirroredWrites: [DemoEtcd.MirroredWrite] = []
    ) {
        self.truth = truth
        self.records = records
        self.script = script
        self.recommendation = recommendation
        self.fastPollInterval = fastPollInterval
        self.quantile = quantile
        self.margin = margin
        self.verbose = verbose
        self.mirroredWrites = mirroredWrites
        self.matches = Self.match(records, truth: truth)
    }

    /// An exact sample further than this from the truth is listed with what the etcd mirror did meanwhile.
    static let lateListed = 0.005

    /// Fast poll + 20 ms: how far a censored interval's ends may miss the truth, and the bound exact samples are
    /// reported against.
    var tolerance: Double { fastPollInterval + 0.02 }

    static func key(servicePort: String, node: String, kind: String) -> String {
        "\(servicePort) \(node) \(kind)"
    }

    static func key(_ record: TruthRecord) -> String {
        key(
            servicePort: "\(record.namespace)/\(record.service):\(record.portName)",
            node: record.node,
            kind: record.kind.rawValue
        )
    }

    static func match(_ records: [ExporterProcess.Record], truth: [TruthRecord]) -> [Int?] {
        var byKey: [String: [Int]] = [:]
        for index in truth.indices { byKey[key(truth[index]), default: []].append(index) }
        var unmatched = Set(truth.indices)
        var result = [Int?](repeating: nil, count: records.count)
        for outcome in ["synced", "censored", "superseded"] {
            for (index, record) in records.enumerated() where record.outcome == outcome {
                if outcome == "superseded", record.lagAtLeast == nil { continue }
                let start = record.estimatedStart
                let candidates =
                    (byKey[key(servicePort: record.servicePort, node: record.node, kind: record.kind)] ?? [])
                    .filter { unmatched.contains($0) }
                guard
                    let best = candidates.min(by: {
                        abs(truth[$0].kubernetesTime - start) < abs(truth[$1].kubernetesTime - start)
                    }),
                    abs(truth[best].kubernetesTime - start) < matchWindow
                else { continue }
                // An exact sample of a change that never reached APISIX is false: it keeps the truth unmatched.
                if outcome == "synced", truth[best].lag == nil { continue }
                unmatched.remove(best)
                result[index] = best
            }
        }
        return result
    }

    // MARK: Classification

    /// Exact samples with their true lag, or nil when false.
    var exact: [(record: ExporterProcess.Record, trueLag: Double?)] {
        records.indices.filter { records[$0].outcome == "synced" && records[$0].lag != nil }.map { index in
            (records[index], matches[index].flatMap { truth[$0].lag })
        }
    }

    var falseSamples: [ExporterProcess.Record] { exact.filter { $0.trueLag == nil }.map(\.record) }

    /// Exact samples measured below the true lag by more than ``earlyTolerance``.
    var earlySamples: [(record: ExporterProcess.Record, trueLag: Double)] {
        exact.compactMap { sample in
            guard let trueLag = sample.trueLag, let lag = sample.record.lag, lag < trueLag - Self.earlyTolerance
            else { return nil }
            return (sample.record, trueLag)
        }
    }

    /// Censored intervals with the true lag of their truth (nil when unmatched or the change never reached APISIX).
    var censored: [(record: ExporterProcess.Record, trueLag: Double?)] {
        records.indices.filter { records[$0].outcome == "censored" }.map { index in
            (records[index], matches[index].flatMap { truth[$0].lag })
        }
    }

    func contains(_ record: ExporterProcess.Record, _ trueLag: Double) -> Bool {
        guard let lower = record.lagLower, let upper = record.lagUpper else { return false }
        return lower - tolerance <= trueLag && trueLag <= upper + tolerance
    }

    /// Superseded changes with a lower bound, and whether the truth agrees: it never reached APISIX, or not before
    /// the bound (within the tolerance).
    var rightCensored: [(record: ExporterProcess.Record, consistent: Bool?)] {
        records.indices.filter { records[$0].outcome == "superseded" && records[$0].lagAtLeast != nil }.map { index in
            guard let matched = matches[index] else { return (records[index], nil) }
            guard let trueLag = truth[matched].lag, let bound = records[index].lagAtLeast else {
                return (records[index], true)
            }
            return (records[index], bound <= trueLag + tolerance)
        }
    }

    /// The truth's preStop: ceil(quantile of the synced removals + margin), at least 1 s; a removal caused by a pod
    /// deletion counts with its end-to-end lag (from the deletion), as the preStop must cover it.
    var truthQuantile: Double {
        let removals = truth.filter { $0.outcome == .synced && $0.kind == .remove }.compactMap {
            $0.endToEndLag ?? $0.lag
        }.sorted()
        guard !removals.isEmpty else { return 0 }
        return Self.percentile(removals, quantile)
    }

    var truthPreStop: Int {
        max(1, Int((((truthQuantile + margin) * 1000).rounded() / 1000).rounded(.up)))
    }

    var exporterPreStop: Int? { recommendation["prestop_seconds"] as? Int }

    /// Why the run fails; empty when it passes.
    var failures: [String] {
        var failures: [String] = []
        if let preStop = exporterPreStop {
            if preStop < truthPreStop {
                failures.append("recommendation \(preStop) s is below the truth's preStop \(truthPreStop) s")
            }
        } else {
            let status = recommendation["status"] as? String ?? "?"
            failures.append("no recommendation from the exporter (status \(status)): it cannot cover the truth")
        }
        let falseCount = falseSamples.count
        if falseCount > 0 { failures.append("\(falseCount) false exact sample(s)") }
        let earlyCount = earlySamples.count
        if earlyCount > 0 {
            failures.append("\(earlyCount) early exact sample(s) (below the truth by more than 20 ms)")
        }
        return failures
    }

    // MARK: Truth

    /// A change the controller wrote after Kubernetes had already reverted it (a stale snapshot written late): not a
    /// sync of that change, the exporter cannot time it.
    func writtenAfterRevert(_ record: TruthRecord) -> Bool {
        guard let apisixTime = record.apisixTime else { return false }
        return truth.contains {
            $0.node == record.node && $0.kind != record.kind && $0.kubernetesTime > record.kubernetesTime
                && $0.kubernetesTime < apisixTime
        }
    }

    /// A change whose wait (its start to its end plus a poll) overlapped an injected fault.
    func overlapsFault(_ record: TruthRecord) -> Bool {
        let end = (record.apisixTime ?? record.kubernetesTime) + fastPollInterval + 0.5
        return script.faults.contains { record.kubernetesTime <= $0.end && end >= $0.start }
    }

    // MARK: Printing

    /// The `p` quantile of `sorted` (ascending) by rank: the value at position ceil(p × count); 0 when empty.
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, max(0, Int((p * Double(sorted.count)).rounded(.up)) - 1))]
    }

    static func format(_ value: Double?, _ digits: Int = 3) -> String {
        value.map { String(format: "%.\(digits)f", $0) } ?? "-"
    }

    static func counts(_ names: [String]) -> String {
        var order: [String] = []
        var count: [String: Int] = [:]
        for name in names {
            if count[name] == nil { order.append(name) }
            count[name, default: 0] += 1
        }
        return order.map { count[$0] == 1 ? $0 : "\($0) ×\(count[$0] ?? 0)" }.joined(separator: ", ")
    }

    /// One line per exporter record, e.g. `censored [5.812, 6.031]`.
    static func describe(_ record: ExporterProcess.Record) -> String {
        switch record.outcome {
        case "synced": return "synced \(format(record.lag))"
        case "censored": return "censored [\(format(record.lagLower)), \(format(record.lagUpper))]"
        default:
            var text = record.outcome
            if let bound = record.lagAtLeast { text += " ≥\(format(bound))" }
            if let cause = record.cause { text += " (\(cause))" }
            return text
        }
    }

    static func describe(_ record: TruthRecord) -> String {
        switch record.outcome {
        case .synced: return "synced \(format(record.lag))"
        case .superseded:
            return "superseded after \(format(record.revertTime.map { $0 - record.kubernetesTime }))"
        case .pending: return "pending"
        }
    }

    func print(header: String, exitStatus: Int32) {
        let synced = truth.filter { $0.outcome == .synced }
        Swift.print(header)
        Swift.print(
            "  truth: \(truth.count) changes (\(synced.count) reached APISIX, "
                + "\(truth.filter { $0.outcome == .superseded }.count) superseded, "
                + "\(synced.filter(writtenAfterRevert).count) written after Kubernetes reverted them)"
        )
        Swift.print("  faults injected: " + Self.counts(script.faults.map(\.name)))
        if !script.skipped.isEmpty { Swift.print("  scripted changes skipped: " + Self.counts(script.skipped)) }

        let superseded = records.filter { $0.outcome == "superseded" }
        let unobserved = records.filter { $0.outcome == "unobserved" }
        Swift.print(
            "  samples: exact \(exact.count)   censored \(censored.count)   superseded with bound "
                + "\(rightCensored.count) of \(superseded.count)   timeout \(records.filter { $0.outcome == "timeout" }.count)   "
                + "unobserved \(unobserved.count)"
                + (unobserved.isEmpty ? "" : " (" + Self.counts(unobserved.map { $0.cause ?? "no cause" }) + ")")
        )
        printExact()
        printMirror()
        printStages()
        printIntervals()
        printCoverage()
        printScenarios()
        printRecommendation()
        Swift.print("  exporter exit status on SIGTERM: \(exitStatus)")
        for record in falseSamples.prefix(10) {
            Swift.print(
                "  FALSE SAMPLE: \(record.servicePort) \(record.node) \(record.kind) lag \(Self.format(record.lag))"
            )
        }
        for (record, trueLag) in earlySamples.prefix(10) {
            Swift.print(
                "  EARLY SAMPLE: \(record.servicePort) \(record.node) \(record.kind) measured \(Self.format(record.lag)) "
                    + "true \(Self.format(trueLag)) \(truthHistory(record))"
            )
        }
        if verbose { printVerbose() }
        let failures = self.failures
        if failures.isEmpty {
            Swift.print("  PASS")
        } else {
            for failure in failures { Swift.print("  FAIL: \(failure)") }
        }
    }

    private func printExact() {
        let errors = exact.compactMap { sample in
            sample.trueLag.flatMap { trueLag in sample.record.lag.map { $0 - trueLag } }
        }
        let absolute = errors.map { abs($0) }.sorted()
        func percentile(_ p: Double) -> Double { Self.percentile(absolute, p) }
        let ofReverted = records.indices.filter {
            records[$0].outcome == "synced" && matches[$0].map { writtenAfterRevert(truth[$0]) } == true
        }
        Swift.print(
            "  exact: \(exact.count)   false \(falseSamples.count)   early (< true - 20 ms) \(earlySamples.count)   "
                + "of changes written after Kubernetes reverted them \(ofReverted.count)"
        )
        Swift.print(
            String(
                format: "  |error| ms: p50 %.1f  p99 %.1f  max %.1f   within fast-poll+20ms: %d of %d",
                percentile(0.5) * 1000,
                percentile(0.99) * 1000,
                (absolute.last ?? 0) * 1000,
                absolute.filter { $0 <= tolerance }.count,
                absolute.count
            )
        )
        let signed = errors.sorted()
        if !signed.isEmpty {
            Swift.print(
                String(
                    format: "  error (measured - true) ms: min %.1f  median %.1f  max %.1f",
                    signed[0] * 1000,
                    signed[signed.count / 2] * 1000,
                    signed[signed.count - 1] * 1000
                )
            )
        }
    }

    /// The etcd mirror's delays, and each exact sample off by more than ``lateListed`` with the delay of the mirror
    /// writes made at its truth's write: a sample that is late by its write's way into etcd is the mirror's, not the
    /// exporter's.
    private func printMirror() {
        guard !mirroredWrites.isEmpty else { return }
        let delays = mirroredWrites.map(\.delay).sorted()
        func percentile(_ p: Double) -> Double { Self.percentile(delays, p) }
        Swift.print(
            String(
                format: "  etcd mirror: %d writes, hand-over to etcd's answer ms: p50 %.1f  p99 %.1f  max %.1f; "
                    + "later than %.0f ms: %d",
                delays.count,
                percentile(0.5) * 1000,
                percentile(0.99) * 1000,
                (delays.last ?? 0) * 1000,
                Self.lateListed * 1000,
                delays.filter { $0 > Self.lateListed }.count
            )
        )
        // Each exact sample's error less its write's way into etcd: the exporter's own part of the error.
        var beyond: [Double] = []
        for (index, record) in records.enumerated() where record.outcome == "synced" {
            guard let lag = record.lag, let matched = matches[index], let trueLag = truth[matched].lag,
                let written = truth[matched].apisixTime,
                let delay = mirroredWrites.filter({ abs($0.handedAt - written) < 0.002 }).map(\.delay).max()
            else { continue }
            beyond.append(abs(lag - trueLag - delay))
        }
        beyond.sort()
        if !beyond.isEmpty {
            let p99 = Self.percentile(beyond, 0.99)
            Swift.print(
                String(
                    format: "  |error less the mirror's delay| ms (%d samples): p50 %.1f  p99 %.1f  max %.1f",
                    beyond.count,
                    beyond[beyond.count / 2] * 1000,
                    p99 * 1000,
                    (beyond.last ?? 0) * 1000
                )
            )
        }
        let late = records.indices.compactMap { index -> (ExporterProcess.Record, TruthRecord)? in
            guard records[index].outcome == "synced", let lag = records[index].lag, let matched = matches[index],
                let trueLag = truth[matched].lag, abs(lag - trueLag) > Self.lateListed
            else { return nil }
            return (records[index], truth[matched])
        }
        for (record, truthRecord) in late.prefix(20) {
            guard let lag = record.lag, let trueLag = truthRecord.lag, let written = truthRecord.apisixTime else {
                continue
            }
            // The writes handed over with this one (the world writes a batch at once), and the slowest of them.
            let batch = mirroredWrites.filter { abs($0.handedAt - written) < 0.002 }
            let mirrorDelay = batch.map(\.delay).max()
            Swift.print(
                "  off by more than \(Int(Self.lateListed * 1000)) ms: \(record.servicePort) \(record.node) "
                    + "\(record.kind) measured \(Self.format(lag)) true \(Self.format(trueLag)) error "
                    + String(format: "%+.1f ms", (lag - trueLag) * 1000) + "; mirror writes at its write: "
                    + "\(batch.count), slowest \(mirrorDelay.map { String(format: "%.1f ms", $0 * 1000) } ?? "-")"
                    + (mirrorDelay.map { String(format: "; error beyond it %+.1f ms", (lag - trueLag - $0) * 1000) }
                        ?? "")
                    + "; " + faultsNear(from: truthRecord.kubernetesTime, to: record.at)
            )
        }
    }

    /// The injected faults within 2 s of `start...end`, with their times relative to `end` (e.g. a change's start and
    /// its record).
    private func faultsNear(from start: Double, to end: Double) -> String {
        let near = script.faults.filter { $0.start <= end + 2 && $0.end >= start - 2 }.map {
            "\($0.name) [\(Self.format($0.start - end)), \(Self.format($0.end - end))] s"
        }
        return near.isEmpty ? "no fault within 2 s" : "near: " + near.joined(separator: ", ")
    }

    /// Removals timed from their pod's deletion: the Kubernetes stage against the truth's (pod write to slice write).
    private func printStages() {
        var errors: [Double] = []
        var staged = 0
        var provenances: [String: Int] = [:]
        for index in records.indices where records[index].kind == "remove" && records[index].outcome == "synced" {
            guard let stage = records[index].kubernetesStage else { continue }
            staged += 1
            provenances[records[index].deletionProvenance ?? "?", default: 0] += 1
            guard records[index].deletionProvenance == "watch", let matched = matches[index],
                let trueStage = truth[matched].kubernetesStageLag
            else { continue }
            errors.append(stage - trueStage)
        }
        let removals = exact.filter { $0.record.kind == "remove" }.count
        let absolute = errors.map { abs($0) }.sorted()
        func percentile(_ p: Double) -> Double { Self.percentile(absolute, p) }
        Swift.print(
            "  stages: \(staged) of \(removals) exact removals timed from the pod's deletion "
                + "(\(Self.counts(provenances.flatMap { Array(repeating: $0.key, count: $0.value) })))"
        )
        guard !errors.isEmpty else { return }
        let signed = errors.sorted()
        Swift.print(
            String(
                format:
                    "  kubernetes stage |error| ms (watch): p50 %.1f  p99 %.1f  max %.1f   signed min %.1f  max %.1f",
                percentile(0.5) * 1000,
                percentile(0.99) * 1000,
                (absolute.last ?? 0) * 1000,
                signed[0] * 1000,
                signed[signed.count - 1] * 1000
            )
        )
    }

    private func printIntervals() {
        let censored = self.censored
        let matched = censored.filter { $0.trueLag != nil }
        let containing = matched.filter { contains($0.record, $0.trueLag ?? 0) }
        let widths = censored.compactMap { sample in
            sample.record.lagUpper.flatMap { upper in sample.record.lagLower.map { upper - $0 } }
        }.sorted()
        Swift.print(
            "  censored: \(containing.count) of \(censored.count) contain the true lag (± fast-poll + 20 ms); "
                + "\(censored.count - matched.count) without a synced truth; width median "
                + "\(Self.format(widths.isEmpty ? nil : widths[widths.count / 2])) s, max \(Self.format(widths.last)) s"
        )
        let bounds = rightCensored
        Swift.print(
            "  superseded bounds: \(bounds.filter { $0.consistent == true }.count) of \(bounds.count) at or below the "
                + "truth; \(bounds.filter { $0.consistent == nil }.count) without a truth"
        )
    }

    /// What the exporter made of the changes it could time: those that reached APISIX while still changed in
    /// Kubernetes.
    private func printCoverage() {
        var coveredBy: [Int: String] = [:]
        for (index, matched) in matches.enumerated() {
            if let matched { coveredBy[matched] = records[index].outcome }
        }
        let timeable = truth.indices.filter { truth[$0].outcome == .synced && !writtenAfterRevert(truth[$0]) }
        var exactCount = 0
        var censoredCount = 0
        var missedOutsideFaults = 0
        for index in timeable {
            switch coveredBy[index] {
            case "synced": exactCount += 1
            case "censored": censoredCount += 1
            default: if !overlapsFault(truth[index]) { missedOutsideFaults += 1 }
            }
        }
        Swift.print(
            "  truth coverage: \(timeable.count) changes reached APISIX while still changed in Kubernetes: "
                + "exact \(exactCount), censored \(censoredCount), neither \(timeable.count - exactCount - censoredCount) "
                + "(\(missedOutsideFaults) of them overlapped no fault)"
        )
    }

    /// What became of each scripted change, in the truth and in the exporter.
    private func printScenarios() {
        guard !script.changes.isEmpty else { return }
        Swift.print("  scripted changes (truth | exporter):")
        for change in script.changes {
            let key = Self.key(servicePort: change.servicePort, node: change.node, kind: "remove")
            let truthRecord = truth.filter {
                Self.key($0) == key && $0.kubernetesTime >= change.at - 0.05 && $0.kubernetesTime < change.at + 1
            }.min { $0.kubernetesTime < $1.kubernetesTime }
            let start = truthRecord?.kubernetesTime ?? change.at
            // Records without a lag or bound only say when the change ended: any until its write (plus a margin).
            let end = (truthRecord?.apisixTime ?? truthRecord?.revertTime ?? start + 15) + 5
            let seen = records.filter { record in
                guard Self.key(servicePort: record.servicePort, node: record.node, kind: record.kind) == key else {
                    return false
                }
                if record.lag == nil, record.lagUpper == nil, record.lagAtLeast == nil {
                    return record.at >= start - 0.1 && record.at <= end
                }
                return abs(record.estimatedStart - start) < Self.matchWindow
            }
            Swift.print(
                "    \(change.scenario): \(change.servicePort) \(change.node) remove: "
                    + "\(truthRecord.map(Self.describe) ?? "no truth") | "
                    + (seen.isEmpty ? "no record" : seen.map(Self.describe).joined(separator: ", "))
            )
            if verbose {
                let relevant = { (time: Double) in time >= change.at - 15 && time <= change.at + 30 }
                let history = truth.filter { $0.node == change.node && relevant($0.kubernetesTime) }.map {
                    "\($0.kind.rawValue)/\($0.outcome.rawValue) k8s \(Self.format($0.kubernetesTime - change.at)) "
                        + "apisix \($0.apisixTime.map { Self.format($0 - change.at) } ?? "-")"
                }
                let logged = records.filter { $0.node == change.node && relevant($0.at) }.map {
                    "\($0.kind) \(Self.describe($0)) at \(Self.format($0.at - change.at))"
                }
                Swift.print("      truth of the node (s from the scripted change): \(history.joined(separator: "; "))")
                Swift.print("      exporter records of the node: \(logged.joined(separator: "; "))")
                let actions = script.actions.filter {
                    $0.address == change.address && $0.time >= change.worldTime - 1 && $0.time <= change.worldTime + 30
                }.map { "\($0.kind.rawValue) \(Self.format($0.time - change.worldTime))" }
                Swift.print("      world actions of the pod: \(actions.joined(separator: "; "))")
            }
        }
    }

    private func printRecommendation() {
        let exporterQuantile = recommendation["observed_quantile_seconds"] as? Double
        Swift.print(
            "  recommendation: exporter preStop \(exporterPreStop.map { "\($0) s" } ?? "n/a") "
                + "(p\(String(format: "%g", quantile * 100)) \(Self.format(exporterQuantile)) s)   "
                + "truth preStop \(truthPreStop) s (p\(String(format: "%g", quantile * 100)) "
                + "\(Self.format(truthQuantile)) s)"
        )
        let fields = ["exact_samples", "censored_samples", "censored_wide_samples", "right_censored_samples"]
        let present = fields.compactMap { field in (recommendation[field] as? Int).map { "\(field) \($0)" } }
        let samples = recommendation["samples"] as? Int
        Swift.print(
            "  recommendation samples: \(samples.map(String.init) ?? "n/a")"
                + (present.isEmpty ? " (no exact/censored breakdown)" : "   " + present.joined(separator: "   "))
        )
    }

    /// The truth of a record's node, times relative to the record's estimated start.
    private func truthHistory(_ record: ExporterProcess.Record) -> String {
        let start = record.estimatedStart
        let history = truth.filter { $0.node == record.node }.map {
            "\($0.kind.rawValue)/\($0.outcome.rawValue) k8s \(Self.format($0.kubernetesTime - start)) "
                + "apisix \($0.apisixTime.map { Self.format($0 - start) } ?? "-")"
        }
        return "(truth of the node, relative to its start: \(history.joined(separator: "; ")))"
    }

    private func printVerbose() {
        for (record, trueLag) in exact {
            guard let trueLag, let lag = record.lag, abs(lag - trueLag) > tolerance else { continue }
            Swift.print(
                "  outside fast-poll + 20 ms: \(record.servicePort) \(record.node) \(record.kind) measured "
                    + "\(Self.format(lag)) true \(Self.format(trueLag)) \(truthHistory(record))"
            )
        }
        for (record, trueLag) in censored where trueLag.map({ !contains(record, $0) }) ?? true {
            Swift.print(
                "  censored interval missing the truth: \(record.servicePort) \(record.node) \(record.kind) "
                    + "\(Self.describe(record)) true \(Self.format(trueLag)) \(truthHistory(record))"
            )
        }
        for (record, consistent) in rightCensored where consistent != true {
            Swift.print(
                "  superseded bound \(consistent == nil ? "without truth" : "above the truth"): \(record.servicePort) "
                    + "\(record.node) \(record.kind) \(Self.describe(record)) \(truthHistory(record))"
            )
        }
        // The slowest removals without an exact sample or interval: a bias there lowers the recommendation.
        let covered = Set(matches.compactMap { $0 })
        let truthQuantile = self.truthQuantile
        for index in truth.indices where !covered.contains(index) {
            let record = truth[index]
            guard record.outcome == .synced, record.kind == .remove, let lag = record.lag, lag >= truthQuantile * 0.7
            else { continue }
            let seen = records.filter { $0.node == record.node && $0.kind == "remove" }
                .filter { abs($0.at - record.kubernetesTime) < lag + 3 }
                .map { "\(Self.describe($0))@\(String(format: "%+.3f", $0.at - record.kubernetesTime))" }
            Swift.print(
                "  slow removal without sample: \(record.service) \(record.node) true \(Self.format(lag)) s, "
                    + "fault overlap \(overlapsFault(record)), exporter: \(seen)"
            )
        }
    }
}
