import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// A real etcd (Debian's `etcd-server`) for tests: a temporary data directory, loopback client and peer ports picked
/// at run time, started, checked healthy, stopped and removed. Tests skip without `etcd` unless `CI` is set.
final class EtcdProcess: @unchecked Sendable {
    /// The `etcd` binary: `$ETCD`, else on the PATH.
    static var installed: String? { ProcessInfo.processInfo.environment["ETCD"] ?? ExternalTool.find("etcd") }
    /// Whether tests that need etcd run: in CI always (a missing etcd fails them), else when it is installed.
    static var enabled: Bool { ExternalTool.isCI || installed != nil }

    /// TLS for a second client listener (`https://127.0.0.1:<tlsPort>`); the plain one stays for the test's writes.
    struct TLS {
        var certificate: String
        var key: String
        /// With `--client-cert-auth`: clients need a certificate this CA signed.
        var clientCA: String?
    }

    let dataDirectory: URL
    let clientPort: Int
    let peerPort: Int
    let tls: TLS?
    let tlsPort: Int
    private var process: Process?
    private let log: URL

    var endpoint: String { "http://127.0.0.1:\(clientPort)" }
    var tlsEndpoint: String { "https://127.0.0.1:\(tlsPort)" }

    private init(dataDirectory: URL, clientPort: Int, peerPort: Int, tls: TLS?, tlsPort: Int) {
        self.dataDirectory = dataDirectory
        self.clientPort = clientPort
        self.peerPort = peerPort
        self.tls = tls
        self.tlsPort = tlsPort
        self.log = dataDirectory.appendingPathExtension("log")
    }

    /// Starts a fresh etcd and waits until it answers.
    static func start(tls: TLS? = nil) async throws -> EtcdProcess {
        var lastError: (any Error)?
        for _ in 0..<3 {  // a port picked may be taken by someone else before etcd binds it
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("etcd-test-\(UUID().uuidString)")
            let etcd = EtcdProcess(
                dataDirectory: directory,
                clientPort: try await freePort(),
                peerPort: try await freePort(),
                tls: tls,
                tlsPort: try await freePort()
            )
            do {
                try await etcd.launch()
                return etcd
            } catch {
                lastError = error
                etcd.stop()
                etcd.remove()
            }
        }
        throw lastError ?? EtcdTestError("etcd did not start")
    }

    /// A loopback port free right now (etcd cannot bind port 0, so one is picked by binding a socket first).
    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port
        try await channel.close()
        guard let port else { throw EtcdTestError("no port") }
        return port
    }

    /// Starts (or starts again, on the same data and ports) and waits until the member answers.
    func launch() async throws {
        guard let binary = Self.installed else {
            throw EtcdTestError("etcd is not installed (apt-get install etcd-server)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        let client = "http://127.0.0.1:\(clientPort)"
        let peer = "http://127.0.0.1:\(peerPort)"
        let listen = tls == nil ? client : "\(client),\(tlsEndpoint)"
        process.arguments = [
            "--name", "test", "--data-dir", dataDirectory.path,
            "--listen-client-urls", listen, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", "test=\(peer)", "--log-level", "warn",
        ]
        if let tls {
            process.arguments? += ["--cert-file", tls.certificate, "--key-file", tls.key]
            if let clientCA = tls.clientCA {
                process.arguments? += ["--client-cert-auth", "--trusted-ca-file", clientCA]
            }
        }
        try Data().write(to: log)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        self.process = process
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            guard process.isRunning else {
                throw EtcdTestError(
                    "etcd exited: \(String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self).suffix(400))"
                )
            }
            // Polling for readiness with a deadline: etcd offers nothing to await.
            if let (status, _) = try? await post("maintenance/status", [:]), status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw EtcdTestError("etcd did not answer within 20 s")
    }

    /// Stops the member (SIGTERM, then waits).
    func stop() {
        guard let process, process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
        self.process = nil
    }

    /// Removes the data directory and log.
    func remove() {
        try? FileManager.default.removeItem(at: dataDirectory)
        try? FileManager.default.removeItem(at: log)
    }

    deinit {
        stop()
        remove()
    }

    // MARK: The gateway, as APISIX's Admin API writes

    /// `POST /v3/<path>`; returns the status and body.
    func post(_ path: String, _ body: [String: any Sendable], token: String? = nil) async throws -> (Int, Data) {
        var request = HTTPClientRequest(url: endpoint + "/v3/" + path)
        request.method = .POST
        if let token { request.headers.add(name: "Authorization", value: token) }
        request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let data = Data(try await response.body.collect(upTo: 16 * 1024 * 1024).readableBytesView)
        return (Int(response.status.code), data)
    }

    /// A call that must succeed; returns its JSON object.
    @discardableResult
    func call(_ path: String, _ body: [String: any Sendable], token: String? = nil) async throws -> [String: Any] {
        let (status, data) = try await post(path, body, token: token)
        guard status == 200, let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw EtcdTestError("\(path): HTTP \(status) \(String(decoding: data, as: UTF8.self))")
        }
        return object
    }

    static func b64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    /// Stores `value` (JSON text) under `key`; returns the new revision.
    @discardableResult
    func put(_ key: String, _ value: String, token: String? = nil) async throws -> Int64 {
        let answer = try await call("kv/put", ["key": Self.b64(key), "value": Self.b64(value)], token: token)
        return Self.revision(answer)
    }

    @discardableResult
    func delete(_ key: String, token: String? = nil) async throws -> Int64 {
        Self.revision(try await call("kv/deleterange", ["key": Self.b64(key)], token: token))
    }

    func compact(_ revision: Int64) async throws {
        try await call("kv/compaction", ["revision": String(revision), "physical": true])
    }

    static func revision(_ answer: [String: Any]) -> Int64 {
        ((answer["header"] as? [String: Any])?["revision"] as? String).flatMap { Int64($0) } ?? 0
    }

    /// Turns authentication on: `root` (password `rootpw`) and each user in `users` with read access to `/apisix/`
    /// when `canRead`; returns root's token.
    func enableAuth(users: [(name: String, password: String, canRead: Bool)]) async throws -> String {
        try await call("auth/user/add", ["name": "root", "password": "rootpw"])
        _ = try? await post("auth/role/add", ["name": "root"])
        try await call("auth/user/grant", ["user": "root", "role": "root"])
        try await call("auth/role/add", ["name": "apisix-reader"])
        try await call(
            "auth/role/grant",
            [
                "name": "apisix-reader",
                "perm": ["permType": "READ", "key": Self.b64("/apisix/"), "range_end": Self.b64("/apisix0")]
                    as [String: any Sendable],
            ]
        )
        for user in users {
            try await call("auth/user/add", ["name": user.name, "password": user.password])
            if user.canRead { try await call("auth/user/grant", ["user": user.name, "role": "apisix-reader"]) }
        }
        try await call("auth/enable", [:])
        let answer = try await call("auth/authenticate", ["name": "root", "password": "rootpw"])
        guard let token = answer["token"] as? String else { throw EtcdTestError("no root token") }
        return token
    }
}

struct EtcdTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
