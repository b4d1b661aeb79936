/// What an ``EndpointSliceWatcher`` reports to: lists, events and the health of its list and watch requests.
///
/// Every call carries the time it was received; consumers never read a clock.
public protocol EndpointSliceConsumer: Sendable {
    /// A complete list of the watched scope (first list or relist after a 410); after a relist, `earliestStart` is
    /// when the exporter's view was last known current: what the relist shows changed at or after it.
    func kubernetesListed(
        _ slices: [EndpointSlice],
        namespace: String?,
        at time: Timestamp,
        earliestStart: Timestamp?
    )
        async
    /// One watch event; `startKnown` is false for events that may be replays of a gap, which began at
    /// `earliestStart` when that is known.
    func kubernetesEvent(_ event: WatchEvent, at time: Timestamp, startKnown: Bool, earliestStart: Timestamp?) async
    /// A request succeeded (a bookmark arrived).
    func kubernetesSucceeded(at time: Timestamp) async
    /// A watch stream opened; events until `replayUntil` may be replays of a gap.
    func kubernetesWatchOpened(at time: Timestamp, replayUntil: Timestamp?) async
    /// The watch stream ended with an error.
    func kubernetesWatchClosed() async
    /// A list or watch request failed.
    func kubernetesFailed(_ failure: SourceFailure, at time: Timestamp) async
}

extension SyncTracker: EndpointSliceConsumer {}
