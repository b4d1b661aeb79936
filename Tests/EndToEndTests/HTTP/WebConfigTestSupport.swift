@testable import APISIXSyncExporter
import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import ServiceLifecycle
import TestSupport
import Testing

/// Temporary files for web-config tests.
enum WebConfigTestFiles {
    static func temporaryDirectory() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("webconfig-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    static func remove(_ directory: String) {
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Writes atomically (a new inode, as Kubernetes Secret volumes and most editors do).
    static func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}

/// A throw-away certificate authority made with the `openssl` CLI: a CA and leaf certificates it signs.
struct WebConfigTestCA {
    let directory: String
    let name: String
    var certificate: String { "\(directory)/\(name)-ca.crt" }

    static var openssl: String? { ExternalTool.find("openssl") }

    /// Creates the CA `name` in `directory`.
    static func make(_ name: String, in directory: String) throws -> WebConfigTestCA {
        let ca = WebConfigTestCA(directory: directory, name: name)
        try ca.openssl([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", "\(directory)/\(name)-ca.key", "-out", ca.certificate, "-days", "2", "-subj",
            "/CN=\(name) test CA",
        ])
        return ca
    }

    /// Issues a certificate for `names` (an openssl subjectAltName, by default `localhost` and `127.0.0.1`) with the
    /// given extended key usage (`serverAuth` or `clientAuth`); returns the certificate and key paths.
    func issue(
        _ leaf: String,
        usage: String,
        names: String = "DNS:localhost,IP:127.0.0.1"
    ) throws -> (certificate: String, key: String) {
        let base = "\(directory)/\(leaf)"
        try "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=\(usage)\n"
            .appending("subjectAltName=\(names)\n")
            .write(toFile: base + ".ext", atomically: true, encoding: .utf8)
        try openssl([
            "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", base + ".key", "-out", base + ".csr", "-subj", "/CN=\(leaf)",
        ])
        try openssl([
            "x509", "-req", "-in", base + ".csr", "-CA", certificate, "-CAkey", "\(directory)/\(name)-ca.key",
            "-set_serial", "\(Int.random(in: 1000...999_999))", "-days", "2", "-out", base + ".crt",
            "-extfile", base + ".ext",
        ])
        return (base + ".crt", base + ".key")
    }

    private func openssl(_ arguments: [String]) throws {
        let tool = try #require(Self.openssl, "openssl is required")
        let result = try ExternalTool.run(tool, arguments)
        try #require(result.status == 0, "openssl \(arguments.joined(separator: " ")): \(result.output)")
    }
}

/// The exporter's HTTP application (no Kubernetes or APISIX sources) on a loopback port, with a web config.
struct WebConfigTestServer {
    let port: Int
    let task: Task<Void, any Error>

    static func start(
        webConfig: WebConfigStore?,
        maxRequests: Int = 40
    ) async throws -> WebConfigTestServer {
        var settings = ExporterSettings()
        settings.web.listenHost = "127.0.0.1"
        settings.web.listenPort = 0
        settings.web.maxRequests = maxRequests
        var logger = Logger(label: "webconfig-test")
        logger.logLevel = .critical
        let metrics = ExporterMetrics(resolution: settings.polling.fastPollInterval)
        let tracker = SyncTracker(settings: settings.tracker, targets: [], metrics: metrics, logger: logger)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = ExporterApplication.build(
            web: settings.web,
            measurement: settings.measurement,
            tracker: tracker,
            metrics: metrics,
            clock: SystemWallClock(),
            services: [],
            logger: logger,
            webConfig: webConfig,
            onServerRunning: { port in
                continuation.yield(port)
                continuation.finish()
            }
        )
        let task = Task {
            let group = ServiceGroup(
                configuration: .init(services: [app], gracefulShutdownSignals: [], logger: logger)
            )
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw HarnessError("server did not start") }
        return WebConfigTestServer(port: port, task: task)
    }

    func stop() async {
        task.cancel()
        _ = await task.result
    }

    static func store(_ path: String, checkInterval: Duration = .zero) throws -> WebConfigStore {
        var logger = Logger(label: "webconfig-test")
        logger.logLevel = .critical
        return try WebConfigStore(path: path, checkInterval: checkInterval, logger: logger)
    }
}

/// HTTP(S) client side of the web-config tests.
enum WebConfigTestClient {
    struct Reply {
        let status: Int
        let headers: HTTPHeaders
        let body: String
    }

    /// A TLS client trusting `ca` (or the system roots), presenting `certificate` when given.
    static func tls(
        trusting ca: String?,
        certificate: (certificate: String, key: String)? = nil,
        maximumVersion: TLSVersion? = nil
    ) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let ca { tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca)) }
        if let certificate {
            tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate.certificate).map { .certificate($0) }
            tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: certificate.key, format: .pem))
        }
        tls.maximumTLSVersion = maximumVersion
        return tls
    }

    /// One request on a fresh client (no pooled connection carries over a handshake).
    static func get(
        _ url: String,
        tls: TLSConfiguration? = nil,
        user: String? = nil,
        password: String? = nil
    ) async throws -> Reply {
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: tls,
            timeout: .init(connect: .seconds(5), read: .seconds(10))
        )
        configuration.httpVersion = .http1Only
        return try await HTTPClient.withHTTPClient(configuration: configuration) { client in
            var request = HTTPClientRequest(url: url)
            if let user, let password {
                request.headers.add(
                    name: "Authorization",
                    value: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
                )
            }
            let response = try await client.execute(request, timeout: .seconds(15))
            let body = try await response.body.collect(upTo: 4 * 1024 * 1024)
            return Reply(status: Int(response.status.code), headers: response.headers, body: String(buffer: body))
        }
    }
}
