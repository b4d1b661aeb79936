extension FakeKubernetesAPI {
    /// How long list requests wait before they are answered, to simulate a slow API server (`nil`: at once).
    /// Applies to list requests that arrive from now on.
    public var listDelay: Duration? {
        get { self.state.withLock { $0.listDelay } }
        set { self.state.withLock { $0.listDelay = newValue } }
    }

    /// Creates or replaces `slice` like ``apply(_:)``, but every open watch receives only the first half of the
    /// event's line before its connection is dropped (no terminating chunk): a stream cut mid-event. The change
    /// stays in the history, so a watch resuming from an earlier resource version receives it whole.
    ///
    /// - Returns: The new resource version.
    @discardableResult
    public func applyCuttingWatchesMidEvent(_ slice: FakeEndpointSlice) -> Int {
        self.state.withLock { $0.applyCuttingWatches(slice) }
    }

    /// Writes `line` verbatim, followed by a newline, as the next event of every open watch: malformed JSON, or an
    /// event whose object has unexpected or missing fields. The store and its history are not changed.
    public func injectWatchLine(_ line: String) {
        self.state.withLock { $0.broadcastRaw(Array(line.utf8)) }
    }
}
