import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The `--web.config.file` of a running server, re-read when it or a file it names changes.
///
/// Requests and new TLS connections ask for the current configuration; at most once per `checkInterval` that
/// `stat`s the config file and the certificate, key and CA files it names (identity, size, modification and change
/// times, following symlinks, so Kubernetes Secret volume swaps are seen) and reloads when any of them changed.
///
/// - A valid change takes effect for the next request (users) and the next connection (certificates, client CAs,
///   client-auth type, TLS versions); open connections keep their handshake.
/// - An invalid change is logged; requests are then answered 500 (as exporter-toolkit does) until the file is
///   fixed, and new TLS handshakes keep using the last valid certificates.
/// - TLS is switched on or off only by a restart: the listener's mode is fixed at start-up.
public final class WebConfigStore: Sendable {
    /// A valid configuration and its TLS setup.
    struct Active: Sendable {
        let config: WebConfig
        let tls: WebTLS?
    }

    public let path: String
    /// Whether the server was started with TLS (fixed for the process).
    public let tlsEnabled: Bool
    private let checkInterval: Duration
    private let logger: Logger
    private let state: Mutex<State>

    private struct State: Sendable {
        var lastCheck: ContinuousClock.Instant
        var stamps: [FileStamp?]
        var watched: [String]
        var current: Result<Active, WebConfigError>
        var lastTLS: WebTLS?
    }

    /// Loads the file; throws when it is invalid (a start-up error).
    public init(path: String, checkInterval: Duration = .seconds(2), logger: Logger) throws(WebConfigError) {
        self.path = path
        self.checkInterval = checkInterval
        self.logger = logger
        let config = try WebConfig.load(path: path)
        let tls = try config.tls.map { (tls) throws(WebConfigError) in try WebTLS(tls) }
        let watched = [path] + config.referencedFiles
        tlsEnabled = tls != nil
        state = Mutex(
            State(
                lastCheck: .now,
                stamps: watched.map(FileStamp.init(path:)),
                watched: watched,
                current: .success(Active(config: config, tls: tls)),
                lastTLS: tls
            )
        )
    }

    /// The configuration in force for a request, after reloading it if it changed.
    func current() -> Result<Active, WebConfigError> {
        state.withLock { state in
            refreshIfDue(&state)
            return state.current
        }
    }

    /// The TLS setup for a new connection: the current one, or the last valid one while the file is invalid.
    func tlsForNewConnection() -> WebTLS? {
        state.withLock { state in
            refreshIfDue(&state)
            if case .success(let active) = state.current, let tls = active.tls { return tls }
            return state.lastTLS
        }
    }

    private func refreshIfDue(_ state: inout State) {
        let now = ContinuousClock.now
        guard now - state.lastCheck >= checkInterval else { return }
        state.lastCheck = now
        let stamps = state.watched.map(FileStamp.init(path:))
        guard stamps != state.stamps else { return }
        reload(&state)
    }

    private func reload(_ state: inout State) {
        do throws(WebConfigError) {
            let config = try WebConfig.load(path: path)
            let tls = try config.tls.map { (tls) throws(WebConfigError) in try WebTLS(tls) }
            state.watched = [path] + config.referencedFiles
            state.current = .success(Active(config: config, tls: tls))
            if let tls { state.lastTLS = tls }
            if (tls != nil) != tlsEnabled {
                logger.warning(
                    "web config turns TLS on or off; that takes a restart, the listener keeps its mode",
                    metadata: ["file": .string(path), "serving": .string(tlsEnabled ? "https" : "http")]
                )
            }
            logger.info(
                "web config reloaded",
                metadata: [
                    "file": .string(path), "tls": .stringConvertible(tls != nil),
                    "basic_auth_users": .stringConvertible(config.basicAuthUsers.count),
                ]
            )
        } catch {
            // Keep watching the files of the last attempt that named them, so fixing a certificate is noticed too.
            state.current = .failure(error)
            logger.error(
                "web config is invalid; answering 500 until it is fixed",
                metadata: ["file": .string(path), "error": .string(error.description)]
            )
        }
        state.stamps = state.watched.map(FileStamp.init(path:))
    }
}

/// What identifies one version of a file without reading it: `stat` following symlinks.
struct FileStamp: Equatable, Sendable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modified: Int64
    let modifiedNanoseconds: Int
    let changed: Int64
    let changedNanoseconds: Int

    /// Nil when the file cannot be `stat`ed (missing, no permission).
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(truncatingIfNeeded: info.st_dev)
        inode = UInt64(truncatingIfNeeded: info.st_ino)
        size = Int64(info.st_size)
        #if canImport(Darwin)
        modified = Int64(info.st_mtimespec.tv_sec)
        modifiedNanoseconds = Int(info.st_mtimespec.tv_nsec)
        changed = Int64(info.st_ctimespec.tv_sec)
        changedNanoseconds = Int(info.st_ctimespec.tv_nsec)
        #else
        modified = Int64(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
        changed = Int64(info.st_ctim.tv_sec)
        changedNanoseconds = Int(info.st_ctim.tv_nsec)
        #endif
    }
}
