import APISIXSyncExporter
import Foundation
import Testing

/// `--web.config.file` parsing and validation: the exporter-toolkit subset, unknown and unsupported keys rejected,
/// errors that name the key and never show a hash.
@Suite struct WebConfigParsingTests {
    static let hash = WebConfigBcryptTests.prometheusHash

    static func parse(_ yaml: String) throws(WebConfigError) -> WebConfig {
        try WebConfig.parse(yaml: yaml, directory: "/etc/exporter")
    }

    static func error(_ yaml: String) -> WebConfigError? {
        do {
            _ = try parse(yaml)
            return nil
        } catch {
            return error
        }
    }

    @Test func anEmptyFileMeansPlainHTTPWithoutAuthentication() throws {
        #expect(try Self.parse("") == WebConfig())
        #expect(try Self.parse("# nothing\n") == WebConfig())
        #expect(try Self.parse("tls_server_config:\nbasic_auth_users:\n") == WebConfig())
        #expect(try Self.parse("tls_server_config: {}\n") == WebConfig())
    }

    @Test func readsTheFullSupportedSubset() throws {
        let config = try Self.parse(
            """
            tls_server_config:
              cert_file: tls/server.crt
              key_file: /secrets/server.key
              client_ca_file: ca.crt
              client_auth_type: RequireAndVerifyClientCert
              min_version: TLS13
              max_version: TLS13
            basic_auth_users:
              prometheus: \(Self.hash)
              alice: '\(WebConfigBcryptTests.aliceHash)'
            """
        )
        #expect(
            config.tls
                == TLSServerConfig(
                    certFile: "/etc/exporter/tls/server.crt",
                    keyFile: "/secrets/server.key",
                    clientCAFile: "/etc/exporter/ca.crt",
                    clientAuthType: .requireAndVerifyClientCert,
                    minVersion: .tls13,
                    maxVersion: .tls13
                )
        )
        #expect(config.basicAuthUsers.keys.sorted() == ["alice", "prometheus"])
        #expect(config.basicAuthUsers["prometheus"]?.value == Self.hash)
        #expect(config.referencedFiles.count == 3)
    }

    @Test func defaultsAreTLS12AndNoClientCertificate() throws {
        let tls = try #require(try Self.parse("tls_server_config: {cert_file: a.crt, key_file: a.key}").tls)
        #expect(tls.minVersion == .tls12)
        #expect(tls.maxVersion == nil)
        #expect(tls.clientAuthType == .noClientCert)
        #expect(tls.clientCAFile == nil)
    }

    @Test(arguments: ClientAuthType.allCases)
    func acceptsEveryClientAuthType(_ type: ClientAuthType) throws {
        let ca = type == .noClientCert ? "" : "client_ca_file: ca.crt, "
        let config = try Self.parse(
            "tls_server_config: {cert_file: a.crt, key_file: a.key, \(ca)client_auth_type: \(type.rawValue)}"
        )
        #expect(config.tls?.clientAuthType == type)
    }

    @Test func requestingUnverifiedCertificatesNeedsNoCA() throws {
        for type in [ClientAuthType.requestClientCert, .requireAnyClientCert] {
            let config = try Self.parse(
                "tls_server_config: {cert_file: a.crt, key_file: a.key, client_auth_type: \(type.rawValue)}"
            )
            #expect(config.tls?.clientAuthType == type)
        }
    }

    @Test(arguments: [
        ("web: {}", "web", "unknown key"),
        ("tls_server_config: {cert_file: a, key_file: b, certfile: c}", "tls_server_config.certfile", "unknown key"),
        (
            "tls_server_config: {cert_file: a, key_file: b, cipher_suites: [X]}", "tls_server_config.cipher_suites",
            "not supported"
        ),
        (
            "tls_server_config: {cert_file: a, key_file: b, client_allowed_sans: [x]}",
            "tls_server_config.client_allowed_sans", "not supported"
        ),
        (
            "tls_server_config: {cert_file: a, key_file: b, curve_preferences: [X25519]}",
            "tls_server_config.curve_preferences", "not supported"
        ),
        ("http_server_config: {http2: false}", "http_server_config", "not supported"),
        ("rate_limit: {interval: 1s, burst: 5}", "rate_limit", "not supported"),
        ("tls_server_config: {cert_file: a}", "tls_server_config.key_file", "missing"),
        ("tls_server_config: {key_file: a}", "tls_server_config.cert_file", "missing"),
        (
            "tls_server_config: {cert_file: a, key_file: b, min_version: TLS11}", "tls_server_config.min_version",
            "TLS12 or TLS13"
        ),
        (
            "tls_server_config: {cert_file: a, key_file: b, max_version: TLS99}", "tls_server_config.max_version",
            "TLS12 or TLS13"
        ),
        (
            "tls_server_config: {cert_file: a, key_file: b, min_version: TLS13, max_version: TLS12}",
            "tls_server_config.max_version", "below"
        ),
        (
            "tls_server_config: {cert_file: a, key_file: b, client_auth_type: Maybe}",
            "tls_server_config.client_auth_type", "RequireAndVerifyClientCert"
        ),
        (
            "tls_server_config: {cert_file: a, key_file: b, client_ca_file: c}", "tls_server_config.client_auth_type",
            "NoClientCert"
        ),
        (
            "tls_server_config: {cert_file: a, key_file: b, client_auth_type: VerifyClientCertIfGiven}",
            "tls_server_config.client_ca_file", "required"
        ),
        (
            "tls_server_config: {cert_file: a, key_file: b, client_auth_type: RequireAndVerifyClientCert}",
            "tls_server_config.client_ca_file", "required"
        ),
        ("tls_server_config: {cert_file: '', key_file: b}", "tls_server_config.cert_file", "non-empty"),
        ("tls_server_config: [a, b]", "tls_server_config", "mapping"),
        ("basic_auth_users: {bob: not-a-hash}", "basic_auth_users.bob", "bcrypt"),
        ("basic_auth_users: {bob: [a]}", "basic_auth_users.bob", "bcrypt"),
        ("basic_auth_users: {'a:b': x}", "basic_auth_users", "':'"),
        ("- a\n- b", "", "mapping"),
    ])
    func rejectsUnknownUnsupportedAndInvalidKeys(yaml: String, key: String, problem: String) throws {
        let error = try #require(Self.error(yaml), "accepted: \(yaml)")
        #expect(error.key ?? "" == key)
        #expect(error.problem.contains(problem), "\(error)")
        #expect(!error.description.contains("\n"))
    }

    @Test func errorsNeverShowAHash() throws {
        let md5 = "$apr1$Y5CwPHNx$uOuhbA5W5b1j6O9SL/R3A0"  // an htpasswd MD5 hash: rejected, but secret all the same
        let cases = [
            "basic_auth_users:\n  bob: '\(md5)'\n",
            "basic_auth_users:\n  bob: \(Self.hash)\n  bob: \(Self.hash)\n",
            "basic_auth_users:\n  bob: \(Self.hash)\n extra: [\n",
            "basic_auth_users:\n  bob: \"\(Self.hash)\n",
            "basic_auth_users:\n  bob: \(String(Self.hash.dropLast()))\n",
        ]
        for yaml in cases {
            let error = try #require(Self.error(yaml), "accepted: \(yaml)")
            let text = "\(error) \(String(reflecting: error))"
            #expect(!text.contains(md5))
            #expect(!text.contains(String(Self.hash.dropFirst(7).prefix(20))), "\(text)")
        }
    }

    @Test func descriptionsNeverShowAHash() throws {
        let config = try Self.parse("basic_auth_users: {prometheus: '\(Self.hash)'}")
        var dumped = ""
        dump(config, to: &dumped)
        for text in [config.description, String(reflecting: config), "\(config.basicAuthUsers)", dumped] {
            #expect(!text.contains(String(Self.hash.dropFirst(7))), "\(text)")
        }
        #expect(config.description.contains("prometheus"))
    }

    @Test func loadsAFileAndResolvesPathsAgainstItsDirectory() throws {
        let directory = try WebConfigTestFiles.temporaryDirectory()
        defer { WebConfigTestFiles.remove(directory) }
        let path = directory + "/web.yml"
        try "tls_server_config: {cert_file: s.crt, key_file: s.key}\n".write(
            toFile: path,
            atomically: true,
            encoding: .utf8
        )
        let config = try WebConfig.load(path: path)
        #expect(config.tls?.certFile == directory + "/s.crt")
        #expect(throws: WebConfigError.self) { try WebConfig.load(path: directory + "/missing.yml") }
    }
}
