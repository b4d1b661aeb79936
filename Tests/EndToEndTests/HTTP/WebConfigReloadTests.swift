import Foundation
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// `--web.config.file` is re-read when it or a file it names changes: users, validity, certificates.
@Suite struct WebConfigReloadTests {
    typealias Bcrypt = WebConfigBcryptTests

    @Test func userChangesApplyToTheNextRequest() async throws {
        let directory = try WebConfigTestFiles.temporaryDirectory()
        defer { WebConfigTestFiles.remove(directory) }
        let path = directory + "/web.yml"
        try WebConfigTestFiles.write("basic_auth_users:\n  alice: \(Bcrypt.aliceHash)\n", to: path)
        let server = try await WebConfigTestServer.start(webConfig: try WebConfigTestServer.store(path))
        do {
            let url = "http://127.0.0.1:\(server.port)/-/healthy"
            #expect(try await WebConfigTestClient.get(url, user: "alice", password: Bcrypt.alicePassword).status == 200)

            try WebConfigTestFiles.write("basic_auth_users:\n  prometheus: \(Bcrypt.prometheusHash)\n", to: path)
            #expect(try await WebConfigTestClient.get(url, user: "alice", password: Bcrypt.alicePassword).status == 401)
            let prometheus = try await WebConfigTestClient.get(
                url,
                user: "prometheus",
                password: Bcrypt.prometheusPassword
            )
            #expect(prometheus.status == 200)

            // Authentication switched off entirely.
            try WebConfigTestFiles.write("", to: path)
            #expect(try await WebConfigTestClient.get(url).status == 200)
        }
        await server.stop()
    }

    @Test func anInvalidFileAnswers500UntilFixed() async throws {
        let directory = try WebConfigTestFiles.temporaryDirectory()
        defer { WebConfigTestFiles.remove(directory) }
        let path = directory + "/web.yml"
        try WebConfigTestFiles.write("basic_auth_users:\n  alice: \(Bcrypt.aliceHash)\n", to: path)
        let server = try await WebConfigTestServer.start(webConfig: try WebConfigTestServer.store(path))
        do {
            let url = "http://127.0.0.1:\(server.port)/metrics"
            try WebConfigTestFiles.write("basic_auth_users:\n  alice: \(Bcrypt.aliceHash)\nrate_limit: {}\n", to: path)
            let broken = try await WebConfigTestClient.get(url, user: "alice", password: Bcrypt.alicePassword)
            #expect(broken.status == 500)
            #expect(!broken.body.contains("$2y$"))
            try FileManager.default.removeItem(atPath: path)
            #expect(try await WebConfigTestClient.get(url, user: "alice", password: Bcrypt.alicePassword).status == 500)
            try WebConfigTestFiles.write("basic_auth_users:\n  alice: \(Bcrypt.aliceHash)\n", to: path)
            #expect(try await WebConfigTestClient.get(url, user: "alice", password: Bcrypt.alicePassword).status == 200)
        }
        await server.stop()
    }

    @Test func changesWithinTheCheckIntervalWait() throws {
        let directory = try WebConfigTestFiles.temporaryDirectory()
        defer { WebConfigTestFiles.remove(directory) }
        let path = directory + "/web.yml"
        try WebConfigTestFiles.write("basic_auth_users:\n  alice: \(Bcrypt.aliceHash)\n", to: path)
        let store = try WebConfigTestServer.store(path, checkInterval: .seconds(3600))
        try WebConfigTestFiles.write("", to: path)
        let users = try store.current().get().config.basicAuthUsers
        #expect(users.keys.sorted() == ["alice"])
    }

    /// A rotated certificate (here: re-issued by another CA) is served on the next connection, without a restart.
    @Test(.enabled(if: ExternalTool.isCI || WebConfigTestCA.openssl != nil, "openssl is not installed"))
    func rotatedCertificatesAreServedToNewConnections() async throws {
        let directory = try WebConfigTestFiles.temporaryDirectory()
        defer { WebConfigTestFiles.remove(directory) }
        let first = try WebConfigTestCA.make("first", in: directory)
        let second = try WebConfigTestCA.make("second", in: directory)
        let old = try first.issue("old", usage: "serverAuth")
        let new = try second.issue("new", usage: "serverAuth")
        let live = (certificate: directory + "/live.crt", key: directory + "/live.key")
        func install(_ pair: (certificate: String, key: String)) throws {
            // Each file replaced atomically, certificate last, as a Secret volume's ..data swap appears to readers.
            try WebConfigTestFiles.write(try String(contentsOfFile: pair.key, encoding: .utf8), to: live.key)
            try WebConfigTestFiles.write(
                try String(contentsOfFile: pair.certificate, encoding: .utf8),
                to: live.certificate
            )
        }
        try install(old)
        try WebConfigTestFiles.write(
            "tls_server_config: {cert_file: live.crt, key_file: live.key}\n",
            to: directory + "/web.yml"
        )
        let server = try await WebConfigTestServer.start(
            webConfig: try WebConfigTestServer.store(directory + "/web.yml")
        )
        do {
            let url = "https://127.0.0.1:\(server.port)/-/healthy"
            let trustsFirst = try WebConfigTestClient.tls(trusting: first.certificate)
            let trustsSecond = try WebConfigTestClient.tls(trusting: second.certificate)
            #expect(try await WebConfigTestClient.get(url, tls: trustsFirst).status == 200)
            await #expect(throws: (any Error).self) { _ = try await WebConfigTestClient.get(url, tls: trustsSecond) }

            try install(new)
            #expect(try await WebConfigTestClient.get(url, tls: trustsSecond).status == 200)
            await #expect(throws: (any Error).self) { _ = try await WebConfigTestClient.get(url, tls: trustsFirst) }

            // A broken key keeps the last good certificate for handshakes; requests then get 500.
            try WebConfigTestFiles.write("not a key\n", to: live.key)
            #expect(try await WebConfigTestClient.get(url, tls: trustsSecond).status == 500)
            try install(new)
            #expect(try await WebConfigTestClient.get(url, tls: trustsSecond).status == 200)
        }
        await server.stop()
    }

    @Test func turningTLSOnNeedsARestart() async throws {
        let directory = try WebConfigTestFiles.temporaryDirectory()
        defer { WebConfigTestFiles.remove(directory) }
        let path = directory + "/web.yml"
        try WebConfigTestFiles.write("basic_auth_users:\n  alice: \(Bcrypt.aliceHash)\n", to: path)
        let store = try WebConfigTestServer.store(path)
        #expect(!store.tlsEnabled)
        let server = try await WebConfigTestServer.start(webConfig: store)
        do {
            // cert/key need not exist for this check: an invalid TLS section makes requests 500, a valid one would
            // only log that it takes a restart. Either way the listener stays plain HTTP.
            try WebConfigTestFiles.write("tls_server_config: {cert_file: a.crt, key_file: a.key}\n", to: path)
            let reply = try await WebConfigTestClient.get("http://127.0.0.1:\(server.port)/-/healthy")
            #expect(reply.status == 500)
            #expect(!store.tlsEnabled)
        }
        await server.stop()
    }
}
