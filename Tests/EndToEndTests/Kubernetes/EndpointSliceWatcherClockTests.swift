import AsyncHTTPClient
import Logging
import SimulatedCluster
import Testing

@testable import APISIXSyncExporter

/// The watch's retries wait on the clock it is given: on a manual clock, a test sees the deadline and moves to it.
@Suite(.timeLimit(.minutes(1))) struct EndpointSliceWatcherClockTests {
    /// A failed list waits the Retry-After, or the first backoff delay (0.25-0.5 s), then lists again and watches.
    @Test(arguments: [(503, 7 as Int?, 7.0...7.0), (500, nil, 0.25...0.5)])
    func aFailedListIsRetriedOnTheClock(status: Int, retryAfter: Int?, delay: ClosedRange<Double>) async throws {
        let kubernetes = FakeKubernetesAPI()
        try await kubernetes.start()
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        var logger = Logger(label: "watcher-clock")
        logger.logLevel = .critical
        let tracker = SyncTracker(
            settings: ExporterSettings().tracker,
            targets: [],
            metrics: ExporterMetrics(resolution: 0.1),
            logger: logger
        )
        let clock = ManualWallClock(now: 1_000_000)
        let connection = KubernetesConnection(
            server: kubernetes.baseURL,
            tlsConfiguration: nil,
            credentials: StaticCredentialSource.none,
            description: "fake"
        )
        kubernetes.failNext(requests: 1, status: status, retryAfterSeconds: retryAfter)
        let watcher = EndpointSliceWatcher(
            client: KubernetesClient(connection: connection, http: http),
            namespace: nil,
            consumer: tracker,
            clock: clock,
            logger: logger
        )
        let task = Task { try await watcher.run() }
        try await clock.waitForSleepers(count: 1)
        #expect(kubernetes.statistics.listRequests == 1)
        let deadline = try #require(clock.nextDeadline)
        #expect(delay.contains(deadline - 1_000_000), "\(deadline - 1_000_000)")
        clock.advance(to: deadline)
        try await kubernetes.waitForOpenWatches(count: 1)
        #expect(kubernetes.statistics.listRequests == 2)
        task.cancel()
        _ = await task.result
        try await http.shutdown()
        await kubernetes.stop()
    }
}
