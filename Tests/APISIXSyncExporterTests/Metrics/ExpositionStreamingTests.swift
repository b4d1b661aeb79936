import Foundation
import Testing

@testable import APISIXSyncExporter

/// The exposition is rendered as `/metrics` reads it, and the writer's faster paths write the text they replaced.
@Suite struct ExpositionStreamingTests {
    /// A snapshot of `count` Services, each with a removal pending.
    static func snapshot(services count: Int) -> ExporterMetrics.GaugeSnapshot {
        var snapshot = ExporterMetrics.GaugeSnapshot()
        for index in 0..<count {
            var state = ExporterMetrics.GaugeSnapshot.ServiceState()
            state.add(pending: [.remove: (1, 100)], stale: index % 3, missing: 0)
            snapshot.services[ServiceKey(namespace: "ns-\(index % 7)", name: "svc-\(index)")] = state
        }
        return snapshot
    }

    @Test func theFirstChunkComesBeforeTheRestIsRendered() {
        let metrics = ExporterMetrics(resolution: 0.1)
        let snapshot = Self.snapshot(services: 5_000)
        var exposition = metrics.exposition(gauges: snapshot, chunkSize: 4_096)
        let total = exposition.stepsLeft
        let first = exposition.next()
        #expect(first != nil)
        #expect(exposition.stepsLeft > total / 2)
        // The rest follows, and the chunks together are the whole text.
        var bytes = first.map { Array($0.readableBytesView) } ?? []
        while let chunk = exposition.next() {
            #expect(chunk.readableBytesView.last == UInt8(ascii: "\n"))
            bytes += chunk.readableBytesView
        }
        #expect(exposition.stepsLeft == 0)
        #expect(bytes == metrics.exposition(gauges: snapshot))
    }

    @Test func noChunkHoldsMoreThanItsSizeAndOneStep() {
        let metrics = ExporterMetrics(resolution: 0.1)
        let chunks = Array(metrics.exposition(gauges: Self.snapshot(services: 5_000), chunkSize: 4_096))
        // One step is at most 256 Services' lines of one family (about 30 KB here).
        #expect(chunks.allSatisfy { $0.readableBytes < 4_096 + 40_000 })
        #expect(chunks.count > 50)
    }

    @Test func labelPairsAreEscapedOnlyWhereNeeded() {
        let values = ["", "web", "a\"b", "back\\slash", "line\nfeed", "ünïcode", "\"", "\\\\\n", "shop-2"]
        for first in values {
            #expect(PrometheusTextWriter.needsEscaping(first) == (Self.escaped(first) != first))
            for second in values {
                let pairs = PrometheusTextWriter.labelPairs(names: ["namespace", "service"], values: [first, second])
                let expected = "namespace=\"\(Self.escaped(first))\",service=\"\(Self.escaped(second))\""
                #expect(String(decoding: pairs, as: UTF8.self) == expected)
            }
        }
        #expect(PrometheusTextWriter.labelPairs(names: [], values: []) == [])
    }

    @Test func aPairGaugeLineIsTheGeneralLineWithItsLabelPairs() {
        let counts = [0, 7, 10, 99, 12_345, -3, -10, Int.max, Int.min + 1]
        for extra in [nil, ("change", "add")] as [(String, String)?] {
            for count in counts {
                for (namespace, name) in [("shop", "web"), ("", ""), ("ns-ünï", "s")] {
                    var plain = PrometheusTextWriter()
                    plain.gauge(
                        .init(name: "g", labels: ("namespace", "service"), extra: extra),
                        namespace,
                        name,
                        count: count
                    )
                    var general = PrometheusTextWriter()
                    let labels = PrometheusTextWriter.labelPairs(
                        names: ["namespace", "service"],
                        values: [namespace, name]
                    )
                    general.gauge(.init(name: "g", extra: extra), labels: labels, count: count)
                    let expected = general.takeRest().map { String(buffer: $0) }
                    #expect(plain.takeRest().map { String(buffer: $0) } == expected)
                    #expect(expected?.hasSuffix(" \(count)\n") == true)
                }
            }
        }
    }

    @Test func aNumberSampleIsTheFormattedSample() {
        let values: [Double] = [
            0, -0.0, 1, 7, 10, 30, -4, 123_456_789, 1e15 - 1, 1e15, 2.5, -0.25, .infinity, -.infinity, .nan,
        ]
        for value in values {
            var number = PrometheusTextWriter()
            number.sample("g", labels: Array(#"a="b""#.utf8), number: value)
            number.sample("g", labels: [], number: value)
            var text = PrometheusTextWriter()
            text.sample("g", labels: Array(#"a="b""#.utf8), value: PrometheusTextWriter.format(value))
            text.sample("g", labels: [], value: PrometheusTextWriter.format(value))
            #expect(number.takeRest().map { String(buffer: $0) } == text.takeRest().map { String(buffer: $0) })
        }
    }

    @Test func serviceGaugesEscapeNamesThatNeedIt() {
        let metrics = ExporterMetrics(resolution: 0.1)
        var snapshot = ExporterMetrics.GaugeSnapshot()
        var state = ExporterMetrics.GaugeSnapshot.ServiceState()
        state.add(pending: [.remove: (2, 100)], stale: 1, missing: 0)
        snapshot.services[ServiceKey(namespace: "a\"b", name: "c\\d")] = state
        let text = metrics.text(gauges: snapshot)
        #expect(text.contains(#"apisix_sync_stale_nodes{namespace="a\"b",service="c\\d"} 1"#))
        #expect(
            text.contains(#"apisix_sync_pending_changes{namespace="a\"b",service="c\\d",change="remove"} 2"#)
        )
        #expect(
            text.contains(
                #"apisix_sync_oldest_pending_change_timestamp_seconds{namespace="a\"b",service="c\\d",change="remove"} 100"#
            )
        )
    }

    @Test func gaugeLinesWithAndWithoutLabelsOrAnExtraPair() {
        var writer = PrometheusTextWriter()
        let labels = PrometheusTextWriter.labelPairs(names: ["service"], values: ["web"])
        writer.gauge(.init(name: "g", extra: ("change", "add")), labels: labels, count: 3)
        writer.gauge(.init(name: "g", extra: ("change", "add")), labels: [], count: 12)
        writer.gauge(.init(name: "g"), labels: labels, count: -4)
        writer.gauge(.init(name: "g"), labels: [], count: 0)
        let text = writer.takeRest().map { String(buffer: $0) }
        #expect(
            text == """
                g{service="web",change="add"} 3
                g{change="add"} 12
                g{service="web"} -4
                g 0

                """
        )
    }

    static func escaped(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
