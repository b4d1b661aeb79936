/// What an ``EndpointSliceWatcher`` reports to: lists, events and the health of its list and watch requests.
///
/// Every call carries the time it was received; consumers never read a clock.
public protocol EndpointSliceConsumer: Sendable {
    /// Whether the consumer reads the endpoints' `targetRef`s; when it does not, the watcher skips them unbuilt.
    nonisolated var readsTargetReferences: Bool { get }
    /// One page of a list of the watched scope (`first`: the list's first page, which starts a new list). A consumer
    /// folds pages into its own compact form: the decoded list is never held whole.
    func kubernetesListPage(_ slices: [EndpointSlice], namespace: String?, first: Bool) async
    /// The pages since the last first page are the complete list of the scope (first list or relist after a 410);
    /// after a relist, `earliestStart` is when the exporter's view was last known current: what the relist shows
    /// changed at or after it.
    func kubernetesListCompleted(namespace: String?, at time: Timestamp, earliestStart: Timestamp?) async
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

extension SyncTracker: EndpointSliceConsumer {
    /// Only pod timing reads `targetRef`s (to match endpoints to pods).
    public nonisolated var readsTargetReferences: Bool { settings.watchPods }
}
