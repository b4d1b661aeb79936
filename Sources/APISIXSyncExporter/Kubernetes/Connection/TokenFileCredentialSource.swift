/// A bearer token read from a file and re-read periodically, because projected service-account tokens rotate.
///
/// The file is read on first use, again whenever the last successful read is older than ``refreshInterval``
/// (client-go uses one minute; the kubelet rewrites a default token about every 48 minutes), and again after
/// ``invalidate()``. If a periodic re-read fails, the last good token is still returned and the read is retried on the
/// next call; after ``invalidate()`` a failed read throws.
public actor TokenFileCredentialSource: KubernetesCredentialSource {
    /// The token file.
    public nonisolated let path: String
    /// The maximum age of a token read from the file before it is read again.
    public nonisolated let refreshInterval: Duration
    private nonisolated let what: String
    private let now: @Sendable () -> ContinuousClock.Instant
    private var cached: (token: String, readAt: ContinuousClock.Instant)?

    /// Creates a source that reads `path` lazily.
    /// - Parameters:
    ///   - path: The token file.
    ///   - refreshInterval: Re-read the file when the cached token is at least this old.
    ///   - now: The clock used for the refresh interval; tests inject a manual one.
    public init(
        path: String,
        refreshInterval: Duration = .seconds(60),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.init(path: path, what: "token file", refreshInterval: refreshInterval, now: now)
    }

    /// Creates a source whose errors call the file `what` (e.g. "in-cluster token file").
    init(
        path: String,
        what: String,
        refreshInterval: Duration = .seconds(60),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.path = path
        self.what = what
        self.refreshInterval = refreshInterval
        self.now = now
    }

    /// Returns `"Bearer <token>"`, re-reading the file when the cached token is older than ``refreshInterval``.
    /// - Throws: ``KubernetesConnectionError`` when the file cannot be read and no earlier token is cached.
    public func authorization() async throws -> String? {
        let now = self.now()
        if let cached, now < cached.readAt.advanced(by: refreshInterval) {
            return "Bearer \(cached.token)"
        }
        do {
            let token = try KubernetesConnectionFiles.token(at: path, what: what)
            cached = (token, now)
            return "Bearer \(token)"
        } catch {
            // Keep serving the last good token (as client-go does); `readAt` stays old, so the next call retries.
            guard let cached else { throw error }
            return "Bearer \(cached.token)"
        }
    }

    /// Forgets the cached token, so that the next ``authorization()`` reads the file again.
    public func invalidate() async {
        cached = nil
    }
}

extension TokenFileCredentialSource: CustomStringConvertible, CustomReflectable {
    /// Names the file, never the token.
    public nonisolated var description: String {
        "TokenFileCredentialSource(\(path))"
    }

    /// Hides the cached token from `dump` and debuggers.
    public nonisolated var customMirror: Mirror {
        Mirror(self, children: ["path": path, "refreshInterval": refreshInterval])
    }
}
