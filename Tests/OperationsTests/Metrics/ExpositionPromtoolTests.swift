import Foundation
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// The exposition as promtool reads it (`promtool check metrics`): the exporter's families and the process families.
@Suite struct ExpositionPromtoolTests {
    let web = ServiceKey(namespace: "shop", name: "web")

    @Test func exposionPassesPromtool() throws {
        guard let promtool = ExternalTool.find("promtool") else {
            try #require(!ExternalTool.isCI, "promtool is required in CI")
            return
        }
        let metrics = ExporterMetrics(resolution: 0.1)
        metrics.setBuildInfo(version: "0.1.0", revision: "abc", swiftVersion: "6.3")
        metrics.recordLag(1.5, service: web, kind: .remove, configuredDelay: 5)
        metrics.recordInstanceLag(1.5, target: "apisix:9180", kind: .remove)
        metrics.countChange(service: web, kind: .add, outcome: .superseded)
        metrics.countChange(service: ServiceKey(namespace: "odd", name: "a\"b\\c"), kind: .add, outcome: .timeout)
        metrics.countSourceError(source: "apisix", target: "apisix:9180", reason: "timeout")
        var snapshot = ExporterMetrics.GaugeSnapshot()
        snapshot.services[web] = .init()
        snapshot.sources = [.init(source: "apisix", target: "apisix:9180", up: true, lastSuccess: 1_700_000_000)]
        snapshot.upstreams["apisix:9180"] = [.mapped: 1]
        var policy = RecommendationPolicy()
        policy.minSamples = 1
        snapshot.recommendation = Recommendation.compute(
            samples: 1,
            quantileValue: 1.5,
            maximum: 1.5,
            overDelay: 0,
            policy: policy
        )
        let result = try ExternalTool.run(
            promtool,
            ["check", "metrics"],
            stdin: Data(metrics.text(gauges: snapshot).utf8)
        )
        #expect(result.status == 0, "promtool: \(result.output)")
    }

    @Test func theProcessFamiliesPassPromtool() throws {
        let metrics = ExporterMetrics(resolution: 0.1)
        var snapshot = ExporterMetrics.GaugeSnapshot()
        snapshot.process = ProcessMetrics.current()
        #if os(Linux)
        let process = try #require(snapshot.process)
        #expect(process.cpuSeconds > 0)
        #expect(process.residentMemoryBytes > 1_000_000)
        #expect(abs(process.startTime - Date().timeIntervalSince1970) < 86_400)
        #expect((process.openFileDescriptors ?? 0) >= 3)
        #endif
        let text = metrics.text(gauges: snapshot)
        #expect(text.contains("# TYPE process_cpu_seconds_total counter"))
        guard let promtool = ExternalTool.find("promtool") else {
            try #require(!ExternalTool.isCI, "promtool is required in CI")
            return
        }
        let result = try ExternalTool.run(promtool, ["check", "metrics"], stdin: Data(text.utf8))
        #expect(result.status == 0, "promtool: \(result.output)")
    }
}
