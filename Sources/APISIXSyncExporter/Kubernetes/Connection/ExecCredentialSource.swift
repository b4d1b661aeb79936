import Foundation

/// A bearer token obtained by running a client-go credential plugin (kubeconfig `users[].user.exec`).
///
/// The token is cached until its `status.expirationTimestamp` minus a leeway, or until ``invalidate()`` when the plugin
/// gives no expiry. Concurrent callers share one run of the plugin.
actor ExecCredentialSource: KubernetesCredentialSource {
    /// The plugin to run.
    nonisolated let plugin: ExecCredentialPlugin
    private let leeway: TimeInterval
    private let now: @Sendable () -> Date
    private let fetch: @Sendable () async throws -> ExecCredential.Token
    private var cached: ExecCredential.Token?
    private var inFlight: Task<ExecCredential.Token, any Error>?

    /// Creates a source for `plugin`.
    /// - Parameters:
    ///   - plugin: The plugin to run.
    ///   - leeway: Run the plugin again this long before the token expires.
    ///   - now: The wall clock compared with the token's expiry; tests inject a manual one.
    init(
        plugin: ExecCredentialPlugin,
        leeway: Duration = .seconds(10),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.plugin = plugin
        let parts = leeway.components
        self.leeway = Double(parts.seconds) + Double(parts.attoseconds) / 1e18
        self.now = now
        self.fetch = { try await plugin.fetchToken() }
    }

    /// Returns `"Bearer <token>"`, running the plugin when no unexpired token is cached.
    /// - Throws: ``KubernetesConnectionError`` when the plugin fails.
    func authorization() async throws -> String? {
        if let cached, isFresh(cached) {
            return "Bearer \(cached.token)"
        }
        let task: Task<ExecCredential.Token, any Error>
        if let inFlight {
            task = inFlight
        } else {
            let fetch = self.fetch
            task = Task { try await fetch() }
            inFlight = task
        }
        do {
            let token = try await task.value
            // Store the result unless invalidate() ran (or another caller stored it) meanwhile.
            if inFlight == task {
                inFlight = nil
                cached = token
            }
            return "Bearer \(token.token)"
        } catch {
            if inFlight == task {
                inFlight = nil
            }
            throw error
        }
    }

    /// Forgets the cached token, so that the next ``authorization()`` runs the plugin again.
    func invalidate() async {
        cached = nil
        inFlight = nil
    }

    private func isFresh(_ token: ExecCredential.Token) -> Bool {
        guard let expiry = token.expiry else { return true }
        return now() < expiry.addingTimeInterval(-leeway)
    }
}

extension ExecCredentialSource: CustomStringConvertible, CustomReflectable {
    /// Names the command, never the token or the arguments.
    nonisolated var description: String {
        "ExecCredentialSource(\(plugin.command))"
    }

    /// Hides the cached token from `dump` and debuggers.
    nonisolated var customMirror: Mirror {
        Mirror(self, children: ["command": plugin.command, "apiVersion": plugin.apiVersion])
    }
}
