import Logging
import ServiceLifecycle

/// Runs APISIX pod discovery: watches the APISIX Service's EndpointSlices and runs one ``APISIXPoller`` per pod,
/// starting pollers for pods that come and stopping those of pods that go (their series go with them).
public struct APISIXPodDiscoveryService: Service, CustomStringConvertible {
    /// What each pod's poller's client gets (the Admin API key among them).
    let client: APISIXClientSettings
    let polling: PollingSettings
    /// `--apisix.view`, for the targets found.
    let view: APISIXView?
    let discovery: APISIXPodDiscoverySettings
    let kubernetes: KubernetesClient
    let tracker: SyncTracker
    let clock: any WallClock
    let logger: Logger

    public var description: String { "APISIXPodDiscoveryService(\(discovery.namespace), \(discovery.selector))" }

    public func run() async throws {
        let (updates, continuation) = AsyncStream.makeStream(
            of: [String: APISIXTarget].self,
            bufferingPolicy: .bufferingNewest(1)
        )
        let consumer = APISIXPodDiscovery(
            settings: discovery,
            view: view,
            tracker: tracker,
            logger: logger,
            updates: continuation
        )
        let watcher = EndpointSliceWatcher(
            client: kubernetes,
            namespace: discovery.namespace,
            labelSelector: discovery.selector,
            consumer: consumer,
            clock: clock,
            logger: logger
        )
        let watch = Task { try await watcher.run() }
        var pollers: [String: (target: APISIXTarget, source: APISIXSource, task: Task<Void, Never>)] = [:]
        var first = true
        await withGracefulShutdownHandler {
            for await targets in updates {
                for (name, running) in pollers where targets[name] != running.target {
                    running.task.cancel()
                    await running.task.value
                    running.source.shutdown()
                    pollers[name] = nil
                    await tracker.removeTarget(named: name, at: clock.now())
                }
                for (name, target) in targets.sorted(by: { $0.key < $1.key }) where pollers[name] == nil {
                    await tracker.addTarget(target, gatesReadiness: first)
                    let poller = APISIXPoller(
                        target: target,
                        client: client,
                        polling: polling,
                        tracker: tracker,
                        clock: clock,
                        logger: logger
                    )
                    pollers[name] = (target, poller.source, Task { try? await poller.run() })
                }
                if first {
                    first = false
                    await tracker.setAwaitingPodDiscovery(false)
                }
            }
        } onGracefulShutdown: {
            continuation.finish()
        }
        watch.cancel()
        _ = await watch.result
        for running in pollers.values { running.task.cancel() }
        for running in pollers.values {
            await running.task.value
            running.source.shutdown()
        }
    }
}
