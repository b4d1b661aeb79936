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
}
