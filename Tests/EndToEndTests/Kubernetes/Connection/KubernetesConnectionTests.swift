import Foundation
import NIOSSL
import Synchronization
import Testing

@testable import APISIXSyncExporter

@Suite struct KubernetesConnectionTests {
    // MARK: - In-cluster

    @Test func inClusterUsesServiceHostPortCAAndToken() async throws {
        let dir = try TemporaryDirectory()
        let files = try dir.inClusterFiles(token: "in-cluster-token-value\n")
        let connection = try KubernetesConnection.resolve(
            kubeconfigPath: nil,
            context: nil,
            environment: ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"],
            inClusterFiles: files
        )
        #expect(connection.server == "https://10.0.0.1:443")
        #expect(connection.description == "in-cluster (https://10.0.0.1:443)")
        let tls = try #require(connection.tlsConfiguration)
        #expect(tls.trustRoots == .certificates(try NIOSSLCertificate.fromPEMFile(files.caPath)))
        #expect(tls.certificateVerification == .fullVerification)
        #expect(try await connection.credentials.authorization() == "Bearer in-cluster-token-value")
        #expect(!connection.description.contains("in-cluster-token-value"))
        #expect(!String(describing: connection).contains("in-cluster-token-value"))
    }

    @Test func inClusterBracketsIPv6Host() throws {
        let dir = try TemporaryDirectory()
        let connection = try KubernetesConnection.resolve(
            kubeconfigPath: nil,
            context: nil,
            environment: ["KUBERNETES_SERVICE_HOST": "fd00:10:96::1", "KUBERNETES_SERVICE_PORT": "6443"],
            inClusterFiles: try dir.inClusterFiles(token: "t")
        )
        #expect(connection.server == "https://[fd00:10:96::1]:6443")
    }

    @Test func inClusterMissingTokenOrCAIsAClearError() throws {
        let dir = try TemporaryDirectory()
        let environment = ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"]
        let noToken = InClusterFiles(tokenPath: dir.path + "/missing-token", caPath: try dir.write("ca.crt", testCA))
        let tokenError = #expect(throws: KubernetesConnectionError.self) {
            try KubernetesConnection.resolve(
                kubeconfigPath: nil,
                context: nil,
                environment: environment,
                inClusterFiles: noToken
            )
        }
        #expect(tokenError?.message == "in-cluster token file \(dir.path)/missing-token does not exist")

        let noCA = InClusterFiles(tokenPath: try dir.write("token", "t"), caPath: dir.path + "/missing-ca.crt")
        let caError = #expect(throws: KubernetesConnectionError.self) {
            try KubernetesConnection.resolve(
                kubeconfigPath: nil,
                context: nil,
                environment: environment,
                inClusterFiles: noCA
            )
        }
        #expect(caError?.message == "in-cluster CA file \(dir.path)/missing-ca.crt does not exist")

        let badPort = #expect(throws: KubernetesConnectionError.self) {
            try KubernetesConnection.resolve(
                kubeconfigPath: nil,
                context: nil,
                environment: ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "https"],
                inClusterFiles: noToken
            )
        }
        #expect(badPort?.message.contains("KUBERNETES_SERVICE_PORT 'https'") == true)
    }

    @Test func explicitKubeconfigOrContextWinsOverInClusterEnvironment() throws {
        let dir = try TemporaryDirectory()
        let kubeconfig = try dir.write("config", simpleKubeconfig(server: "http://127.0.0.1:8001"))
        var environment = ["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "443"]
        let explicit = try KubernetesConnection.resolve(
            kubeconfigPath: kubeconfig,
            context: nil,
            environment: environment,
            inClusterFiles: try dir.inClusterFiles(token: "t")
        )
        #expect(explicit.server == "http://127.0.0.1:8001")

        environment["KUBECONFIG"] = kubeconfig
        let byContext = try KubernetesConnection.resolve(
            kubeconfigPath: nil,
            context: "only",
            environment: environment,
            inClusterFiles: try dir.inClusterFiles(token: "t")
        )
        #expect(byContext.server == "http://127.0.0.1:8001")
    }

    // MARK: - Token file rotation

    @Test func tokenFileIsReReadAfterRefreshIntervalAndAfterInvalidate() async throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("token", "first\n")
        let clock = ManualClock()
        let source = TokenFileCredentialSource(path: path, refreshInterval: .seconds(60), now: clock.now)

        #expect(try await source.authorization() == "Bearer first")
        try dir.write("token", "second")
        clock.advance(.seconds(59))
        #expect(try await source.authorization() == "Bearer first")
        clock.advance(.seconds(1))
        #expect(try await source.authorization() == "Bearer second")

        try dir.write("token", "third")
        await source.invalidate()
        #expect(try await source.authorization() == "Bearer third")
    }

    @Test func tokenFileKeepsLastGoodTokenWhenPeriodicReReadFails() async throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("token", "good")
        let clock = ManualClock()
        let source = TokenFileCredentialSource(path: path, refreshInterval: .seconds(60), now: clock.now)
        #expect(try await source.authorization() == "Bearer good")

        try FileManager.default.removeItem(atPath: path)
        clock.advance(.seconds(120))
        #expect(try await source.authorization() == "Bearer good")

        await source.invalidate()
        let error = await #expect(throws: KubernetesConnectionError.self) {
            try await source.authorization()
        }
        #expect(error?.message == "token file \(path) does not exist")

        try dir.write("token", "")
        let empty = await #expect(throws: KubernetesConnectionError.self) {
            try await source.authorization()
        }
        #expect(empty?.message == "token file \(path) is empty")
    }

    // MARK: - Kubeconfig

    @Test func kubeconfigUsesCurrentContextOrTheGivenContext() async throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write(
            "config",
            """
            apiVersion: v1
            kind: Config
            current-context: dev
            clusters:
            - name: dev-cluster
              cluster:
                server: http://127.0.0.1:8001/
            - name: prod-cluster
              cluster:
                server: prod.example.com:6443
                certificate-authority-data: \(Data(testCA.utf8).base64EncodedString())
            contexts:
            - name: dev
              context: {cluster: dev-cluster, user: dev-user}
            - name: prod
              context:
                cluster: prod-cluster
                user: prod-user
                namespace: default
            users:
            - name: dev-user
              user:
                token: dev-token-secret
            - name: prod-user
              user:
                username: admin
                password: hunter2
            """
        )

        let dev = try KubernetesConnection.resolve(kubeconfigPath: path, context: nil, environment: [:])
        #expect(dev.server == "http://127.0.0.1:8001")
        #expect(dev.tlsConfiguration == nil)
        #expect(dev.description == "kubeconfig \(path) context dev (http://127.0.0.1:8001)")
        #expect(try await dev.credentials.authorization() == "Bearer dev-token-secret")
        #expect(!dev.description.contains("dev-token-secret"))
        #expect(!String(describing: dev.credentials).contains("dev-token-secret"))
        var dumped = ""
        dump(dev, to: &dumped)
        #expect(!dumped.contains("dev-token-secret"))

        let prod = try KubernetesConnection.resolve(kubeconfigPath: path, context: "prod", environment: [:])
        #expect(prod.server == "https://prod.example.com:6443")
        #expect(prod.description == "kubeconfig \(path) context prod (https://prod.example.com:6443)")
        let tls = try #require(prod.tlsConfiguration)
        #expect(tls.trustRoots == .certificates(try NIOSSLCertificate.fromPEMBytes(Array(testCA.utf8))))
        let basic = "Basic " + Data("admin:hunter2".utf8).base64EncodedString()
        #expect(try await prod.credentials.authorization() == basic)
        #expect(!prod.description.contains("hunter2"))
    }

    @Test func kubeconfigIsFoundThroughKUBECONFIGAndHome() throws {
        let dir = try TemporaryDirectory()
        let real = try dir.write("real-config", simpleKubeconfig(server: "http://127.0.0.1:1"))
        let fromList = try KubernetesConnection.resolve(
            kubeconfigPath: nil,
            context: nil,
            environment: ["KUBECONFIG": "\(dir.path)/missing:\(real)", "HOME": dir.path]
        )
        #expect(fromList.server == "http://127.0.0.1:1")

        try FileManager.default.createDirectory(atPath: dir.path + "/.kube", withIntermediateDirectories: true)
        try dir.write(".kube/config", simpleKubeconfig(server: "http://127.0.0.1:2"))
        let fromHome = try KubernetesConnection.resolve(
            kubeconfigPath: "",
            context: nil,
            environment: ["HOME": dir.path]
        )
        #expect(fromHome.server == "http://127.0.0.1:2")
        #expect(fromHome.description.hasPrefix("kubeconfig \(dir.path)/.kube/config context only"))

        let nothing = #expect(throws: KubernetesConnectionError.self) {
            try KubernetesConnection.resolve(kubeconfigPath: nil, context: nil, environment: ["HOME": dir.path + "/x"])
        }
        #expect(nothing?.message.hasPrefix("no Kubernetes configuration found: not in a cluster") == true)
        #expect(nothing?.message.contains("\(dir.path)/x/.kube/config does not exist") == true)
    }

    @Test func relativeCertificateAuthorityAndTokenFileResolveAgainstKubeconfigDirectory() async throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: dir.path + "/kube/certs", withIntermediateDirectories: true)
        try dir.write("kube/certs/ca.crt", testCA)
        try dir.write("kube/token", "file-token")
        let path = try dir.write(
            "kube/config",
            """
            current-context: c
            clusters:
            - name: c
              cluster:
                server: https://10.1.2.3:6443
                certificate-authority: certs/ca.crt
            contexts:
            - name: c
              context: {cluster: c, user: u}
            users:
            - name: u
              user:
                tokenFile: ./token
            """
        )
        // Resolve from another working directory's point of view: only the kubeconfig's directory matters.
        let connection = try KubernetesConnection.resolve(kubeconfigPath: path, context: nil, environment: [:])
        let tls = try #require(connection.tlsConfiguration)
        let expected = try NIOSSLCertificate.fromPEMFile(dir.path + "/kube/certs/ca.crt")
        #expect(tls.trustRoots == .certificates(expected))
        #expect(try await connection.credentials.authorization() == "Bearer file-token")
        let source = try #require(connection.credentials as? TokenFileCredentialSource)
        #expect(source.path == dir.path + "/kube/token")

        try FileManager.default.removeItem(atPath: dir.path + "/kube/certs/ca.crt")
        let error = #expect(throws: KubernetesConnectionError.self) {
            try KubernetesConnection.resolve(kubeconfigPath: path, context: nil, environment: [:])
        }
        #expect(
            error?.message
                == "kubeconfig \(path): cluster 'c' certificate-authority file \(dir.path)/kube/certs/ca.crt "
                + "does not exist"
        )
    }

    @Test func inlineDataFieldsBecomeTrustRootsAndClientIdentity() async throws {
        let dir = try TemporaryDirectory()
        // Generates a real self-signed certificate and key; openssl is installed on the CI machines.
        guard let identity = try dir.makeSelfSignedIdentity() else {
            // openssl is not installed here: this one test cannot build a certificate/key pair.
            return
        }
        let certificate = Data(identity.certificatePEM.utf8).base64EncodedString()
        let key = Data(identity.keyPEM.utf8).base64EncodedString()
        let path = try dir.write(
            "config",
            """
            current-context: c
            clusters:
            - name: c
              cluster:
                server: https://api.example.com
                certificate-authority-data: \(certificate)
            contexts:
            - name: c
              context: {cluster: c, user: u}
            users:
            - name: u
              user:
                client-certificate-data: \(certificate)
                client-key-data: \(key)
            """
        )
        let connection = try KubernetesConnection.resolve(kubeconfigPath: path, context: nil, environment: [:])
        let tls = try #require(connection.tlsConfiguration)
        let parsed = try NIOSSLCertificate.fromPEMBytes(Array(identity.certificatePEM.utf8))
        #expect(tls.trustRoots == .certificates(parsed))
        #expect(tls.certificateChain == parsed.map { .certificate($0) })
        let expectedKey = try NIOSSLPrivateKey(bytes: Array(identity.keyPEM.utf8), format: .pem)
        #expect(tls.privateKey == .privateKey(expectedKey))
        #expect(try await connection.credentials.authorization() == nil)
        #expect(!connection.description.contains(key))

        // The same pair given as files.
        try dir.write("client.crt", identity.certificatePEM)
        try dir.write("client.key", identity.keyPEM)
        let filePath = try dir.write(
            "config-files",
            """
            current-context: c
            clusters:
            - name: c
              cluster: {server: "https://api.example.com", insecure-skip-tls-verify: true}
            contexts:
            - name: c
              context: {cluster: c, user: u}
            users:
            - name: u
              user: {client-certificate: client.crt, client-key: client.key}
            """
        )
        let fromFiles = try KubernetesConnection.resolve(kubeconfigPath: filePath, context: nil, environment: [:])
        let fileTLS = try #require(fromFiles.tlsConfiguration)
        #expect(fileTLS.certificateChain == parsed.map { .certificate($0) })
        #expect(fileTLS.privateKey == .privateKey(expectedKey))
        #expect(fileTLS.certificateVerification == .none)
    }

    // MARK: - Exec plugins

    @Test func execPluginIsCachedUntilExpiryAndRerunAfterExpiryAndInvalidate() async throws {
        let dir = try TemporaryDirectory()
        let plugin = try dir.execPlugin(token: "exec-token-1", expiry: "2030-01-01T00:00:00Z")
        let path = try dir.write("config", execKubeconfig(command: plugin, apiVersion: "v1"))
        let connection = try KubernetesConnection.resolve(
            kubeconfigPath: path,
            context: nil,
            environment: ["PATH": "/usr/bin:/bin", "FROM_PARENT": "inherited"]
        )
        let resolved = try #require(connection.credentials as? ExecCredentialSource)
        let clock = ManualDate(Self.date("2029-12-31T23:00:00Z"))
        let source = ExecCredentialSource(plugin: resolved.plugin, now: clock.now)

        #expect(try await source.authorization() == "Bearer exec-token-1")
        #expect(try await source.authorization() == "Bearer exec-token-1")
        #expect(try dir.runCount() == 1)

        // The plugin saw its args, its env entries, the parent environment and KUBERNETES_EXEC_INFO.
        #expect(try dir.read("seen-args") == "--region eu-west-1\n")
        #expect(try dir.read("seen-env") == "GREETING=hello FROM_PARENT=inherited\n")
        let execInfo =
            #"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","spec":{"interactive":false}}"#
        #expect(try dir.read("seen-exec-info") == execInfo)

        #if os(Linux)
        // The plugin starts with no blocked signals, although it was spawned from a Dispatch thread.
        let blockedSignals = try dir.read("seen-sigblk")
        #expect(blockedSignals == "0000000000000000\n")
        #endif

        // Still cached 11 s before expiry; re-run inside the 10 s leeway.
        clock.set(Self.date("2029-12-31T23:59:49Z"))
        #expect(try await source.authorization() == "Bearer exec-token-1")
        #expect(try dir.runCount() == 1)
        try dir.writeCredential(token: "exec-token-2", expiry: "2030-01-01T01:00:00.5+00:00")
        clock.set(Self.date("2029-12-31T23:59:51Z"))
        #expect(try await source.authorization() == "Bearer exec-token-2")
        #expect(try dir.runCount() == 2)

        try dir.writeCredential(token: "exec-token-3", expiry: nil)
        await source.invalidate()
        #expect(try await source.authorization() == "Bearer exec-token-3")
        #expect(try dir.runCount() == 3)
        // No expiry: cached until invalidated, however much time passes.
        clock.set(Self.date("2040-01-01T00:00:00Z"))
        #expect(try await source.authorization() == "Bearer exec-token-3")
        #expect(try dir.runCount() == 3)

        #expect(!connection.description.contains("exec-token"))
        #expect(!String(describing: source).contains("exec-token"))
    }

    @Test func concurrentCallersShareOnePluginRun() async throws {
        let dir = try TemporaryDirectory()
        let plugin = try dir.execPlugin(token: "shared", expiry: nil, apiVersion: "v1beta1")
        let path = try dir.write("config", execKubeconfig(command: plugin, apiVersion: "v1beta1"))
        let connection = try KubernetesConnection.resolve(kubeconfigPath: path, context: nil, environment: [:])
        let credentials = connection.credentials
        let values = try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<8 {
                group.addTask { try await credentials.authorization() }
            }
            return try await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(values == Array(repeating: "Bearer shared", count: 8))
        #expect(try dir.runCount() == 1)
        let execInfo = try dir.read("seen-exec-info")
        #expect(execInfo.contains(#""apiVersion":"client.authentication.k8s.io/v1beta1""#))
    }

    @Test func execFailureReportsCommandAndStderrButNeverTheToken() async throws {
        let dir = try TemporaryDirectory()
        let script = try dir.write(
            "failing-plugin",
            """
            #!/bin/sh
            echo '{"status":{"token":"leaked-stdout-token"}}'
            echo '' >&2
            echo 'error: refresh token expired, run login' >&2
            echo 'second line with more detail' >&2
            exit 3
            """,
            executable: true
        )
        let path = try dir.write("config", execKubeconfig(command: script, apiVersion: "v1"))
        let connection = try KubernetesConnection.resolve(kubeconfigPath: path, context: nil, environment: [:])
        let error = await #expect(throws: KubernetesConnectionError.self) {
            try await connection.credentials.authorization()
        }
        let message = try #require(error?.message)
        #expect(message == "exec plugin '\(script)' failed with exit status 3: error: refresh token expired, run login")
        #expect(!message.contains("leaked-stdout-token"))
        #expect(!message.contains("--region"))
    }

    @Test func execPluginOutputProblemsAreClearErrors() async throws {
        let cases: [(json: String, expected: String)] = [
            ("not json at all", "did not print a valid ExecCredential JSON object"),
            (
                #"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{}}"#,
                "returned no status.token"
            ),
            (
                #"{"apiVersion":"client.authentication.k8s.io/v1beta1","status":{"token":"x"}}"#,
                "returned apiVersion 'client.authentication.k8s.io/v1beta1' but is configured with"
            ),
            (
                #"{"status":{"clientCertificateData":"PEM","clientKeyData":"PEM"}}"#,
                "returned a client certificate (status.clientCertificateData), which is not supported"
            ),
            (
                #"{"status":{"token":"x","expirationTimestamp":"tomorrow"}}"#,
                "returned status.expirationTimestamp 'tomorrow', which is not an RFC 3339 time"
            ),
        ]
        for (json, expected) in cases {
            let dir = try TemporaryDirectory()
            let plugin = try dir.execPlugin(token: "unused", expiry: nil)
            try dir.write("credential.json", json)
            let path = try dir.write("config", execKubeconfig(command: plugin, apiVersion: "v1"))
            let connection = try KubernetesConnection.resolve(kubeconfigPath: path, context: nil, environment: [:])
            let error = await #expect(throws: KubernetesConnectionError.self) {
                try await connection.credentials.authorization()
            }
            #expect(error?.message.contains("exec plugin '\(plugin)' " + expected) == true, "\(json)")
        }
    }

    @Test func execConfigurationProblemsAreReportedAtResolve() throws {
        let dir = try TemporaryDirectory()
        let plugin = try dir.execPlugin(token: "t", expiry: nil)
        let always = try dir.write(
            "always",
            execKubeconfig(command: plugin, apiVersion: "v1", extra: "interactiveMode: Always")
        )
        let alwaysError = #expect(throws: KubernetesConnectionError.self) {
            try KubernetesConnection.resolve(kubeconfigPath: always, context: nil, environment: [:])
        }
        let alwaysMessage = alwaysError?.message ?? ""
        #expect(alwaysMessage.contains("user 'u' exec interactiveMode is Always, which is not supported"))

        let missing = try dir.write(
            "missing",
            execKubeconfig(command: "no-such-plugin-xyz", apiVersion: "v1", extra: "installHint: brew install xyz")
        )
        let missingError = #expect(throws: KubernetesConnectionError.self) {
            try KubernetesConnection.resolve(kubeconfigPath: missing, context: nil, environment: ["PATH": dir.path])
        }
        #expect(
            missingError?.message
                == "kubeconfig \(missing): user 'u' exec command 'no-such-plugin-xyz' was not found in PATH "
                + "(brew install xyz)"
        )

        let alpha = try dir.write("alpha", execKubeconfig(command: plugin, apiVersion: "v1alpha1"))
        let alphaError = #expect(throws: KubernetesConnectionError.self) {
            try KubernetesConnection.resolve(kubeconfigPath: alpha, context: nil, environment: [:])
        }
        #expect(alphaError?.message.contains("exec apiVersion 'client.authentication.k8s.io/v1alpha1'") == true)
    }

    @Test func execCommandWithoutSlashIsLookedUpInPATH() async throws {
        let dir = try TemporaryDirectory()
        _ = try dir.execPlugin(token: "via-path", expiry: nil)
        let path = try dir.write("config", execKubeconfig(command: "plugin", apiVersion: "v1"))
        let connection = try KubernetesConnection.resolve(
            kubeconfigPath: path,
            context: nil,
            environment: ["PATH": "/nonexistent:\(dir.path):/usr/bin:/bin"]
        )
        #expect(try await connection.credentials.authorization() == "Bearer via-path")
    }

    @Test func execPluginGetsClusterInfoWhenAsked() async throws {
        let dir = try TemporaryDirectory()
        let plugin = try dir.execPlugin(token: "t", expiry: nil)
        let path = try dir.write(
            "config",
            execKubeconfig(command: plugin, apiVersion: "v1", extra: "provideClusterInfo: true")
        )
        let connection = try KubernetesConnection.resolve(kubeconfigPath: path, context: nil, environment: [:])
        #expect(try await connection.credentials.authorization() == "Bearer t")
        let execInfo = try dir.read("seen-exec-info")
        #expect(execInfo.contains(#""spec":{"cluster":{"server":"http://127.0.0.1:8001"},"interactive":false}"#))
    }

    @Test func hungExecPluginIsTerminatedAfterTimeout() async throws {
        let dir = try TemporaryDirectory()
        let script = try dir.write(
            "hung-plugin",
            "#!/bin/sh\nsleep 30 &\necho $! > \"$(dirname \"$0\")/pid\"\nwait\n",
            executable: true
        )
        let plugin = ExecCredentialPlugin(
            command: "hung-plugin",
            executablePath: script,
            arguments: [],
            environment: ["PATH": "/usr/bin:/bin"],
            apiVersion: "client.authentication.k8s.io/v1",
            timeout: .milliseconds(200)
        )
        let error = await #expect(throws: KubernetesConnectionError.self) {
            try await ExecCredentialSource(plugin: plugin).authorization()
        }
        #expect(error?.message == "exec plugin 'hung-plugin' did not finish within 0.2 seconds and was killed")

        // The plugin's own child (which holds the stdout pipe open) is gone too: the whole group was killed.
        let pid = try #require(pid_t(try dir.read("pid").trimmingCharacters(in: .whitespacesAndNewlines)))
        var alive = true
        for _ in 0..<200 where alive {
            alive = Self.isRunning(pid)
            if alive {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        #expect(!alive)
    }

    @Test func rfc3339TimestampsParse() {
        #expect(ExecCredential.parseRFC3339("2030-01-01T00:00:00Z") == Self.date("2030-01-01T00:00:00Z"))
        #expect(ExecCredential.parseRFC3339("2030-01-01T02:00:00+02:00") == Self.date("2030-01-01T00:00:00Z"))
        let fractional = ExecCredential.parseRFC3339("2030-01-01T00:00:00.250Z")
        #expect(fractional == Self.date("2030-01-01T00:00:00Z").addingTimeInterval(0.25))
        #expect(ExecCredential.parseRFC3339("2030-01-01") == nil)
    }

    // MARK: - Kubeconfig errors

    @Test(arguments: KubeconfigErrorCase.all)
    func kubeconfigErrorsNameWhatIsWrong(_ errorCase: KubeconfigErrorCase) throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("config", errorCase.yaml)
        let error = #expect(throws: KubernetesConnectionError.self) {
            try KubernetesConnection.resolve(kubeconfigPath: path, context: errorCase.context, environment: [:])
        }
        let message = try #require(error?.message)
        #expect(message == "kubeconfig \(path)" + errorCase.expected)
        #expect(!message.contains("SECRET"))
        #expect(!message.contains("\n"))
    }

    @Test func missingKubeconfigFileIsAClearError() {
        let error = #expect(throws: KubernetesConnectionError.self) {
            try KubernetesConnection.resolve(kubeconfigPath: "/nonexistent/kubeconfig", context: nil, environment: [:])
        }
        #expect(error?.message == "kubeconfig /nonexistent/kubeconfig does not exist")
    }

    // MARK: - Helpers

    /// Whether `pid` exists and is not a zombie (a killed orphan waits for PID 1 to reap it).
    static func isRunning(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return false }
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let end = stat.lastIndex(of: ")")
        else { return true }
        return stat[stat.index(after: end)...].trimmingCharacters(in: .whitespaces).first != "Z"
    }

    static func date(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text) ?? Date(timeIntervalSince1970: 0)
    }
}

/// One malformed kubeconfig and the message (after `kubeconfig <path>`) it must produce.
struct KubeconfigErrorCase: Sendable, CustomTestStringConvertible {
    var name: String
    var yaml: String
    var context: String?
    var expected: String

    var testDescription: String { name }

    static let base = """
        clusters:
        - name: c
          cluster: {server: "http://127.0.0.1:8001"}
        - name: no-server
          cluster: {certificate-authority-data: ""}
        contexts:
        - name: ok
          context: {cluster: c, user: u}
        - name: no-cluster
          context: {user: u}
        - name: missing-cluster
          context: {cluster: nowhere, user: u}
        - name: missing-user
          context: {cluster: c, user: nobody}
        - name: server-less
          context: {cluster: no-server}
        users:
        - name: u
          user: {token: SECRET-token}

        """

    static let all: [KubeconfigErrorCase] = [
        .init(
            name: "no current-context",
            yaml: base,
            context: nil,
            expected: " has no current-context; pass a context explicitly"
        ),
        .init(
            name: "unknown context",
            yaml: base,
            context: "prod",
            expected: " has no context 'prod' "
                + "(contexts: ok, no-cluster, missing-cluster, missing-user, server-less)"
        ),
        .init(
            name: "context without cluster",
            yaml: base,
            context: "no-cluster",
            expected: ": context 'no-cluster' names no cluster"
        ),
        .init(
            name: "undefined cluster",
            yaml: base,
            context: "missing-cluster",
            expected: ": cluster 'nowhere' of context 'missing-cluster' is not defined under clusters"
        ),
        .init(
            name: "undefined user",
            yaml: base,
            context: "missing-user",
            expected: ": user 'nobody' of context 'missing-user' is not defined under users"
        ),
        .init(
            name: "no server",
            yaml: base,
            context: "server-less",
            expected: ": cluster 'no-server' has no server"
        ),
        .init(
            name: "malformed YAML",
            yaml: "users:\n- name: u\n  user: {token: SECRET, \n",
            context: nil,
            expected: " is not valid YAML: did not find expected node content at line 4, column 1"
        ),
        .init(
            name: "wrong type",
            yaml: "current-context: [a, b]\n",
            context: nil,
            expected: " is malformed: field current-context should be a single value"
        ),
        .init(name: "empty file", yaml: "\n", context: nil, expected: " is empty"),
        .init(
            name: "bad base64",
            yaml: """
                current-context: x
                clusters: [{name: c, cluster: {server: "https://h", certificate-authority-data: "%%%SECRET"}}]
                contexts: [{name: x, context: {cluster: c}}]
                """,
            context: nil,
            expected: ": cluster 'c' certificate-authority-data is not valid base64"
        ),
        .init(
            name: "base64 that is not PEM",
            yaml: """
                current-context: x
                clusters: [{name: c, cluster: {server: "https://h", certificate-authority-data: "aGVsbG8="}}]
                contexts: [{name: x, context: {cluster: c}}]
                """,
            context: nil,
            expected: ": cluster 'c' certificate-authority-data does not contain a PEM certificate"
        ),
        .init(
            name: "token and basic auth",
            yaml: base.replacingOccurrences(of: "{token: SECRET-token}", with: "{token: SECRET, username: a}"),
            context: "ok",
            expected: ": user 'u' sets both a token and username/password; only one is allowed"
        ),
        .init(
            name: "auth-provider",
            yaml: base.replacingOccurrences(of: "{token: SECRET-token}", with: "{auth-provider: {name: gcp}}"),
            context: "ok",
            expected: ": user 'u' uses auth-provider 'gcp', which is not supported; "
                + "use an exec credential plugin instead"
        ),
        .init(
            name: "certificate without key",
            yaml: base.replacingOccurrences(of: "{token: SECRET-token}", with: "{client-certificate: c.crt}"),
            context: "ok",
            expected: ": user 'u' has a client-certificate but no client-key"
        ),
        .init(
            name: "unsupported server scheme",
            yaml: base.replacingOccurrences(of: "http://127.0.0.1:8001", with: "ftp://127.0.0.1"),
            context: "ok",
            expected: ": cluster 'c' server 'ftp://127.0.0.1' is not an http:// or https:// URL"
        ),
        .init(
            name: "tls-server-name that is an IP address",
            yaml: base.replacingOccurrences(
                of: "http://127.0.0.1:8001\"}",
                with: "https://127.0.0.1:6443\", tls-server-name: 10.0.0.1}"
            ),
            context: "ok",
            expected: ": cluster 'c' tls-server-name '10.0.0.1' is an IP address, which is not supported; "
                + "give a DNS name the server's certificate holds"
        ),
        .init(
            name: "tls-server-name that is not a DNS name",
            yaml: base.replacingOccurrences(
                of: "http://127.0.0.1:8001\"}",
                with: "https://127.0.0.1:6443\", tls-server-name: kube_test}"
            ),
            context: "ok",
            expected: ": cluster 'c' tls-server-name 'kube_test' is not a DNS name"
        ),
        .init(
            name: "credentials in server URL",
            yaml: base.replacingOccurrences(of: "http://127.0.0.1:8001", with: "https://me:SECRET@h"),
            context: "ok",
            expected: ": cluster 'c' server URL contains credentials; put them under users[].user instead"
        ),
    ]
}

// MARK: - Fixtures

/// A self-signed test CA certificate (EC P-256, CN=kubernetes-connection-test-ca); only parsed, never used.
private let testCA = """
    -----BEGIN CERTIFICATE-----
    MIIBpzCCAU2gAwIBAgIUCkrOJhCropyg+ORS9Yo2b7+QE8owCgYIKoZIzj0EAwIw
    KDEmMCQGA1UEAwwda3ViZXJuZXRlcy1jb25uZWN0aW9uLXRlc3QtY2EwIBcNMjYx
    MTI0MjA0MDAzWhgPMjEyNjEwMzEyMDQwMDNaMCgxJjAkBgNVBAMMHWt1YmVybmV0
    ZXMtY29ubmVjdGlvbi10ZXN0LWNhMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE
    0Rc0WMN+A5Tj+drBM1L7U5GZ/BXcg8r0StlGVV9cWIcR7vB2UspgVF0JtTUOHUui
    Je+5v/R+smR9KJ/iAZsUgKNTMFEwHQYDVR0OBBYEFMJzFx3A8lTBGHKHvh1mh9qH
    rrbNMB8GA1UdIwQYMBaAFMJzFx3A8lTBGHKHvh1mh9qHrrbNMA8GA1UdEwEB/wQF
    MAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIhAKHT8Pi5NYLmaCg7AfDLe69h8l9hIKmH
    3G8jxE+DoMBoAiBY4Kd2L76pJjO/j8BldbwUYHhAq+4SxXEjoAXy2WJwDg==
    -----END CERTIFICATE-----

    """

private func simpleKubeconfig(server: String) -> String {
    """
    current-context: only
    clusters:
    - name: c
      cluster: {server: "\(server)"}
    contexts:
    - name: only
      context: {cluster: c}
    """
}

private func execKubeconfig(command: String, apiVersion: String, extra: String = "") -> String {
    """
    current-context: c
    clusters:
    - name: c
      cluster: {server: "http://127.0.0.1:8001"}
    contexts:
    - name: c
      context: {cluster: c, user: u}
    users:
    - name: u
      user:
        exec:
          apiVersion: client.authentication.k8s.io/\(apiVersion)
          command: \(command)
          args: ["--region", "eu-west-1"]
          env:
          - name: GREETING
            value: hello
          \(extra)
    """
}

/// A fresh directory under the system temporary directory, removed when the value is released.
private final class TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "kubernetes-connection-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    @discardableResult
    func write(_ name: String, _ contents: String, executable: Bool = false) throws -> String {
        let file = path + "/" + name
        try Data(contents.utf8).write(to: URL(fileURLWithPath: file))
        if executable {
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file)
        }
        return file
    }

    func read(_ name: String) throws -> String {
        try String(contentsOfFile: path + "/" + name, encoding: .utf8)
    }

    func inClusterFiles(token: String) throws -> InClusterFiles {
        InClusterFiles(tokenPath: try write("token", token), caPath: try write("ca.crt", testCA))
    }

    /// Writes `plugin`, a shell script that records how it was called and prints `credential.json`.
    func execPlugin(token: String, expiry: String?, apiVersion: String = "v1") throws -> String {
        try writeCredential(token: token, expiry: expiry, apiVersion: apiVersion)
        return try write(
            "plugin",
            """
            #!/bin/sh
            dir=$(dirname "$0")
            echo run >> "$dir/runs"
            echo "$@" > "$dir/seen-args"
            echo "GREETING=$GREETING FROM_PARENT=$FROM_PARENT" > "$dir/seen-env"
            printf '%s' "$KUBERNETES_EXEC_INFO" > "$dir/seen-exec-info"
            if [ -r /proc/$$/status ]; then
                # Builtins only: a forked grep would read the mask while dash blocks signals around the fork.
                while read -r key value; do
                    [ "$key" = "SigBlk:" ] && echo "$value" > "$dir/seen-sigblk"
                done < /proc/$$/status
            fi
            cat "$dir/credential.json"
            """,
            executable: true
        )
    }

    func writeCredential(token: String, expiry: String?, apiVersion: String = "v1") throws {
        let expiryField = expiry.map { #","expirationTimestamp":"\#($0)""# } ?? ""
        try write(
            "credential.json",
            #"{"apiVersion":"client.authentication.k8s.io/\#(apiVersion)","kind":"ExecCredential","#
                + #""status":{"token":"\#(token)"\#(expiryField)}}"#
        )
    }

    /// How many times `plugin` ran.
    func runCount() throws -> Int {
        guard FileManager.default.fileExists(atPath: path + "/runs") else { return 0 }
        return try read("runs").split(separator: "\n").count
    }

    /// A self-signed certificate and key made with `openssl`, or `nil` when `openssl` is not installed.
    func makeSelfSignedIdentity() throws -> (certificatePEM: String, keyPEM: String)? {
        let candidates = ["/usr/bin/openssl", "/usr/local/bin/openssl", "/opt/homebrew/bin/openssl"]
        guard let openssl = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return nil
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: openssl)
        process.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=test-client",
            "-keyout", path + "/generated.key", "-out", path + "/generated.crt",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return (try read("generated.crt"), try read("generated.key"))
    }
}

/// A `ContinuousClock` stand-in that only moves when told to.
private final class ManualClock: Sendable {
    private let current = Mutex(ContinuousClock.now)

    var now: @Sendable () -> ContinuousClock.Instant {
        { [self] in current.withLock { $0 } }
    }

    func advance(_ duration: Duration) {
        current.withLock { $0 = $0.advanced(by: duration) }
    }
}

/// A wall clock that only moves when told to.
private final class ManualDate: Sendable {
    private let current: Mutex<Date>

    init(_ date: Date) {
        current = Mutex(date)
    }

    var now: @Sendable () -> Date {
        { [self] in current.withLock { $0 } }
    }

    func set(_ date: Date) {
        current.withLock { $0 = date }
    }
}
