import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import SimulatedCluster
import Synchronization

/// A real etcd on loopback ports for `demo --apisix.source etcd`: the fake Admin API's writes are mirrored into it
/// as APISIX stores them, and the exporter watches it. Needs the `etcd` binary (Debian: `etcd-server`).
public final class DemoEtcd: Sendable {
    /// How to get etcd when it is missing.
    public static let installHint =
        "demo --apisix.source etcd needs etcd: apt-get install etcd-server (or put an etcd binary on PATH)"

    /// The `etcd` binary on PATH, if any.
    public static var binary: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") + ["/usr/bin", "/usr/local/bin"] {
            let candidate = "\(directory)/etcd"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    public let endpoint: String
    private let directory: URL
    private let process: Mutex<Process?>
    private let mirrorTask = Mutex<Task<Void, Never>?>(nil)
    /// Writes handed to the mirror and writes it has sent to etcd.
    private let mirrorProgress = Mutex<(handed: Int, sent: Int)>((0, 0))
    /// Every mirrored write's timing, in order.
    private let mirrorTimings = Mutex<[MirroredWrite]>([])

    /// When a write of the fake Admin API was handed to the mirror and how long etcd took to answer its put: the
    /// benchmark's truth is the hand-over, the exporter can see the write only once etcd committed it.
    public struct MirroredWrite: Sendable {
        /// The etcd key.
        public var key: String
        /// When the fake Admin API made the write (seconds since 1970).
        public var handedAt: Double
        /// From the hand-over to etcd's answer, in seconds: the queue behind earlier writes, the request, the commit.
        public var delay: Double
    }

    /// The timing of every write mirrored so far, in order.
    public var mirroredWrites: [MirroredWrite] { mirrorTimings.withLock { $0 } }

    private init(endpoint: String, directory: URL, process: Process) {
        self.endpoint = endpoint
        self.directory = directory
        self.process = Mutex(process)
    }

    public struct StartError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Where the data directory goes: `/dev/shm` when there is one, else the temporary directory. etcd syncs its log
    /// to disk at every write; on a shared machine's disk one such sync now and then takes 20-120 ms, which the
    /// benchmarks counted against the exporter (their truth is the fake Admin API's write, before etcd's). The data
    /// is thrown away at the end anyway.
    static var dataParent: URL {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: "/dev/shm", isDirectory: &isDirectory), isDirectory.boolValue,
            FileManager.default.isWritableFile(atPath: "/dev/shm")
        {
            return URL(fileURLWithPath: "/dev/shm")
        }
        return FileManager.default.temporaryDirectory
    }

    /// Starts etcd with a temporary data directory (in memory where possible) and waits until it answers.
    public static func start() async throws -> DemoEtcd {
        guard let binary else { throw StartError(description: installHint) }
        let client = "http://127.0.0.1:\(try await freePort())"
        let peer = "http://127.0.0.1:\(try await freePort())"
        let directory =
            dataParent
            .appendingPathComponent("apisix-sync-demo-etcd-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.removeItem(at: directory)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = [
            "--name", "demo", "--data-dir", directory.path, "--listen-client-urls", client,
            "--advertise-client-urls", client, "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", "demo=\(peer)", "--log-level", "error",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let etcd = DemoEtcd(endpoint: client, directory: directory, process: process)
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if (try? await etcd.post("maintenance/status", [:])) == 200 { return etcd }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(50))  // etcd offers nothing to await before it answers
        }
        etcd.stop()
        throw StartError(description: "etcd did not start on \(client)")
    }

    /// A loopback port free now (etcd cannot bind port 0).
    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close()
        return port
    }

    /// Mirrors every write of `apisix` into etcd, in order (the objects stored already first); `timed` keeps each
    /// write's timing for ``mirroredWrites`` (a benchmark's run; the demo runs for hours and keeps none).
    public func mirror(_ apisix: FakeAPISIXAdmin, timed: Bool = false) {
        let (stream, continuation) = AsyncStream<(writes: [FakeAPISIXAdmin.StoredWrite], at: Double)>.makeStream()
        apisix.setStoreMirror { [self] writes in
            mirrorProgress.withLock { $0.handed += writes.count }
            continuation.yield((writes, Date().timeIntervalSince1970))
        }
        let task = Task { [self] in
            for await (writes, handedAt) in stream {
                for write in writes {
                    defer { mirrorProgress.withLock { $0.sent += 1 } }
                    let key = Data(write.key.utf8).base64EncodedString()
                    if let value = write.value {
                        _ = try? await post("kv/put", ["key": key, "value": Data(value).base64EncodedString()])
                    } else {
                        _ = try? await post("kv/deleterange", ["key": key])
                    }
                    guard timed else { continue }
                    let timing = MirroredWrite(
                        key: write.key,
                        handedAt: handedAt,
                        delay: Date().timeIntervalSince1970 - handedAt
                    )
                    mirrorTimings.withLock { $0.append(timing) }
                }
            }
        }
        mirrorTask.withLock { $0 = task }
    }

    /// Waits until every write handed to the mirror so far has been sent to etcd (a benchmark starts the exporter
    /// only then: a range read taken while the seed is still being written sees part of it, and the rest arrives
    /// as changes whose start the exporter cannot know).
    public func mirrored(timeout: Duration = .seconds(600)) async throws {
        let target = mirrorProgress.withLock { $0.handed }
        let deadline = ContinuousClock.now + timeout
        while mirrorProgress.withLock({ $0.sent }) < target {
            guard ContinuousClock.now < deadline else { throw StartError(description: "etcd mirror did not catch up") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Compacts etcd's history so that a watch resuming from any revision seen so far is cancelled as compacted: two
    /// puts of a key outside APISIX's prefix move the revision on, then the history before the second is compacted.
    /// Returns the compaction revision.
    @discardableResult
    public func compactHistory() async throws -> Int64 {
        let key = Data("/apisix-sync-bench/compaction".utf8).base64EncodedString()
        var revision: Int64 = 0
        for _ in 0..<2 {
            let (status, body) = try await postReading("kv/put", ["key": key, "value": key])
            guard status == 200,
                let object = try JSONSerialization.jsonObject(with: body) as? [String: Any],
                let header = object["header"] as? [String: Any],
                let text = header["revision"] as? String, let parsed = Int64(text)
            else { throw StartError(description: "etcd put for a compaction answered \(status)") }
            revision = parsed
        }
        let (status, _) = try await postReading("kv/compaction", ["revision": "\(revision)", "physical": true])
        guard status == 200 else { throw StartError(description: "etcd compaction answered \(status)") }
        return revision
    }

    private func postReading(_ path: String, _ body: [String: Any]) async throws -> (Int, Data) {
        var request = HTTPClientRequest(url: endpoint + "/v3/" + path)
        request.method = .POST
        request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        let bytes = try await response.body.collect(upTo: 1024 * 1024)
        return (Int(response.status.code), Data(bytes.readableBytesView))
    }

    private func post(_ path: String, _ body: [String: String]) async throws -> Int {
        try await postReading(path, body).0
    }

    /// Stops the mirror and etcd, and removes its data.
    public func stop() {
        mirrorTask.withLock { $0?.cancel() }
        process.withLock { process in
            if let running = process, running.isRunning {
                running.terminate()
                running.waitUntilExit()
            }
            process = nil
        }
        try? FileManager.default.removeItem(at: directory)
    }
}
