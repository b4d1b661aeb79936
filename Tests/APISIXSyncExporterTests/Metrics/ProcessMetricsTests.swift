import Foundation
import Testing

@testable import APISIXSyncExporter

@Suite struct ProcessMetricsTests {
    /// A `/proc/<pid>/stat` line whose command name holds a space and a ')', which naive splitting gets wrong.
    static let stat =
        "4242 (apisix sync) x) S 1 4242 4242 0 -1 4194560 2311 0 0 0 250 150 0 0 20 0 9 0 3474755 "
        + "1236992000 30000 18446744073709551615 1 1 0 0 0 0 0 4096 17414 0 0 0 17 1 0 0 0 0 0"

    @Test func statFieldsAreReadAfterTheCommandName() throws {
        let metrics = try #require(
            ProcessMetrics.parse(stat: Self.stat, clockTicks: 100, pageSize: 4096, bootTime: 1_795_552_028)
        )
        #expect(metrics.cpuSeconds == 4)  // (250 + 150) ticks / 100
        #expect(metrics.residentMemoryBytes == 30_000 * 4096)
        #expect(metrics.virtualMemoryBytes == 1_236_992_000)
        #expect(metrics.startTime == 1_795_552_028 + 34_747.55)
    }

    @Test func aTruncatedLineIsNoMeasurement() {
        #expect(ProcessMetrics.parse(stat: "4242 (x) S 1 2 3", clockTicks: 100, pageSize: 4096, bootTime: 0) == nil)
        #expect(ProcessMetrics.parse(stat: "garbage", clockTicks: 100, pageSize: 4096, bootTime: 0) == nil)
    }

    @Test func bootTimeComesFromProcStat() {
        let text = "cpu  1 2 3\nintr 5\nbtime 1795552028\nprocesses 6\n"
        #expect(ProcessMetrics.bootTime(procStat: text) == 1_795_552_028)
        #expect(ProcessMetrics.bootTime(procStat: "cpu 1\n") == nil)
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
