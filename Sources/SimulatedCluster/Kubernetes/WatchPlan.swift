/// A parsed watch request.
struct WatchPlan: Sendable {
    /// Where the watch starts.
    enum Start: Sendable, Equatable {
        /// `resourceVersion` unset or `"0"`: synthetic ADDED events for the current objects, then changes.
        case currentState
        /// `resourceVersion=N`: the changes after N.
        case after(Int)
    }

    /// The resource watched.
    var resource: KubernetesResource = .endpointSlices
    /// The objects watched.
    let filter: KubernetesObjectFilter
    /// Where the watch starts.
    let start: Start
    /// `sendInitialEvents=true`: synthetic ADDED events, then a bookmark marking their end.
    let sendInitialEvents: Bool
    /// `allowWatchBookmarks=true`.
    let allowBookmarks: Bool
    /// How long the watch lasts before the server ends it cleanly.
    let timeout: Duration
    /// How often bookmarks are sent.
    let bookmarkInterval: Duration
    /// Whether bookmark objects carry the Go zero-value slice fields.
    let bookmarksIncludeZeroValueFields: Bool
    /// How the objects of events are encoded (bookmarks and errors are never transformed).
    var format: KubernetesObjectFormat = .object
}

/// What a watch stream's writer should do next.
enum WatchSignal: Sendable {
    /// Write one event line.
    case line([UInt8])
    /// End the response cleanly (terminating chunk).
    case end
    /// Abort the connection without the terminating chunk.
    case abort
    /// The client closed the connection; stop without writing.
    case clientGone
}
