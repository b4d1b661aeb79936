import Foundation
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// `WorkloadPatch` checked with the real `kubectl patch --local` on manifests written here: the patched container's
/// preStop reads back as the recommended delay and nothing else changes. kubectl tests skip when it is missing,
/// except in CI.
@Suite struct WorkloadPatchTests {
    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: shop
          labels: {app: web}
        spec:
          replicas: 3
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              terminationGracePeriodSeconds: 20
              containers:
              - name: proxy
                image: example/proxy:3
                lifecycle:
                  preStop:
                    httpGet: {path: /drain, port: 9000}
              - name: nginx
                image: nginx:1.27
                ports:
                - containerPort: 80
                env:
                - {name: MODE, value: production}
                lifecycle:
                  postStart:
                    exec: {command: [sh, -c, echo started]}
                  preStop:
                    exec:
                      command: [/bin/sh, -c, "sleep 5 && nginx -s quit"]
        """

    static let statefulSet = """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: db
          namespace: data
        spec:
          serviceName: db
          selector:
            matchLabels: {app: db}
          template:
            metadata:
              labels: {app: db}
            spec:
              terminationGracePeriodSeconds: 60
              containers:
              - name: db
                image: postgres:17
                lifecycle:
                  preStop:
                    sleep: {seconds: 5}
              - name: exporter
                image: example/exporter:1
                lifecycle:
                  preStop:
                    exec: {command: [sleep, "5s"]}
        """

    static let daemonSet = """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata:
          name: agent
          namespace: kube-system
        spec:
          selector:
            matchLabels: {app: agent}
          template:
            metadata:
              labels: {app: agent}
            spec:
              containers:
              - name: agent
                image: example/agent:2
                args: [--verbose]
              - name: logs
                image: example/logs:2
        """

    struct Example: Sendable, CustomTestStringConvertible {
        var manifest: String
        var workload: WorkloadKey
        var container: String
        var current: PreStopAction
        var currentGrace: Int
        var recommendedGrace: Int
        var expected: PreStopAction
        var testDescription: String { "\(workload.kind) \(container) \(current.form)" }
    }

    static let examples = [
        Example(
            manifest: deployment,
            workload: WorkloadKey(namespace: "shop", kind: "Deployment", name: "web"),
            container: "nginx",
            current: .execSleep(seconds: 5, command: ["/bin/sh", "-c", "sleep 5 && nginx -s quit"]),
            currentGrace: 20,
            recommendedGrace: 32,
            expected: .execSleep(seconds: 12, command: ["/bin/sh", "-c", "sleep 12 && nginx -s quit"])
        ),
        Example(
            manifest: statefulSet,
            workload: WorkloadKey(namespace: "data", kind: "StatefulSet", name: "db"),
            container: "db",
            current: .sleep(seconds: 5),
            currentGrace: 60,
            recommendedGrace: 32,
            expected: .sleep(seconds: 12)
        ),
        Example(
            manifest: statefulSet,
            workload: WorkloadKey(namespace: "data", kind: "StatefulSet", name: "db"),
            container: "exporter",
            current: .execSleep(seconds: 5, command: ["sleep", "5s"]),
            currentGrace: 60,
            recommendedGrace: 32,
            expected: .execSleep(seconds: 12, command: ["sleep", "12s"])
        ),
        Example(
            manifest: daemonSet,
            workload: WorkloadKey(namespace: "kube-system", kind: "DaemonSet", name: "agent"),
            container: "agent",
            current: .none,
            currentGrace: 30,
            recommendedGrace: 30,
            expected: .sleep(seconds: 12)
        ),
    ]

    /// `kubectl`, or nil (the test is skipped) when it is missing outside CI.
    static func kubectl() throws -> String? {
        guard let path = ExternalTool.find("kubectl") else {
            try #require(!ExternalTool.isCI, "kubectl is required in CI")
            return nil
        }
        return path
    }

    /// The manifest with `patch` applied by `kubectl patch --local`, as a JSON object. HOME and KUBECONFIG point into
    /// a temporary directory so nothing of the user's is read.
    static func patched(_ kubectl: String, manifest: String, patch: String) throws -> [String: Any] {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("workload-patch-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("manifest.yaml")
        try Data(manifest.utf8).write(to: file)
        let result = try ExternalTool.run(
            "/usr/bin/env",
            [
                "HOME=\(directory.path)", "KUBECONFIG=\(directory.path)/kubeconfig", kubectl, "patch", "--local",
                "--dry-run=client", "-o", "json", "-f", file.path, "--type", "strategic", "-p", patch,
            ]
        )
        try #require(result.status == 0, "kubectl failed: \(result.output)")
        let object = try JSONSerialization.jsonObject(with: Data(result.output.utf8))
        return try #require(object as? [String: Any], "kubectl printed \(result.output)")
    }

    /// The value at a dotted path of objects.
    static func value(_ object: [String: Any], _ path: String) -> Any? {
        var current: Any? = object
        for key in path.split(separator: ".") {
            current = (current as? [String: Any])?[String(key)]
        }
        return current
    }

    /// Compact JSON with sorted keys, to compare documents.
    static func canonical(_ value: Any?) throws -> String {
        guard let value else { return "absent" }
        let data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
        return String(decoding: data, as: UTF8.self)
    }

    /// The pod spec without the given container's `lifecycle.preStop` and without the grace period.
    static func untouchedPart(_ object: [String: Any], container: String) throws -> String {
        var spec = try #require(value(object, "spec.template.spec") as? [String: Any])
        let containers = try #require(spec["containers"] as? [[String: Any]])
        spec["terminationGracePeriodSeconds"] = nil
        spec["containers"] = containers.map { item -> [String: Any] in
            guard item["name"] as? String == container else { return item }
            var copy = item
            var lifecycle = item["lifecycle"] as? [String: Any] ?? [:]
            lifecycle["preStop"] = nil
            copy["lifecycle"] = lifecycle.isEmpty ? nil : lifecycle
            return copy
        }
        return try canonical(spec)
    }

    static func preStop(_ object: [String: Any], container: String) throws -> PreStopAction {
        let containers = try #require(value(object, "spec.template.spec.containers") as? [[String: Any]])
        let item = try #require(containers.first { $0["name"] as? String == container })
        let hook = try #require(value(item, "lifecycle.preStop") as? [String: Any])
        let data = try JSONSerialization.data(withJSONObject: hook)
        return try JSONReader.read(data) { reader throws(JSONReader.Failure) in try PreStopAction(reading: &reader) }
    }

    @Test(arguments: examples)
    func kubectlAppliesThePatch(_ example: Example) throws {
        guard let kubectl = try Self.kubectl() else { return }
        let patch = try #require(
            WorkloadPatch(
                workload: example.workload,
                container: example.container,
                current: example.current,
                recommendedPreStop: 12,
                currentGrace: example.currentGrace,
                recommendedGrace: example.recommendedGrace
            )
        )
        let before = try Self.patched(kubectl, manifest: example.manifest, patch: "{}")
        let after = try Self.patched(kubectl, manifest: example.manifest, patch: patch.json)
        #expect(try Self.preStop(after, container: example.container) == example.expected)
        #expect(
            try Self.untouchedPart(before, container: example.container)
                == Self.untouchedPart(after, container: example.container)
        )
        var beforeRest = before
        var afterRest = after
        beforeRest["spec"] = Self.value(before, "spec.template.spec") == nil ? nil : "pod template"
        afterRest["spec"] = Self.value(after, "spec.template.spec") == nil ? nil : "pod template"
        #expect(try Self.canonical(beforeRest) == Self.canonical(afterRest))
        #expect(
            try Self.canonical(Self.value(before, "spec.selector"))
                == Self.canonical(Self.value(after, "spec.selector"))
        )
        let grace = Self.value(after, "spec.template.spec.terminationGracePeriodSeconds") as? Int
        if example.currentGrace < example.recommendedGrace {
            #expect(grace == example.recommendedGrace)
            #expect(patch.json.contains("terminationGracePeriodSeconds"))
        } else {
            #expect(grace == Self.value(before, "spec.template.spec.terminationGracePeriodSeconds") as? Int)
            #expect(!patch.json.contains("terminationGracePeriodSeconds"))
        }
    }

    @Test func kubectlAcceptsTheCommandAsTheShellSplitsIt() throws {
        let patch = try #require(
            WorkloadPatch(
                workload: WorkloadKey(namespace: "shop", kind: "Deployment", name: "web"),
                container: "nginx",
                current: .execSleep(seconds: 5, command: ["sh", "-c", "sleep 5 && echo 'it''s' \"done\" $HOME"]),
                recommendedPreStop: 12,
                currentGrace: 30,
                recommendedGrace: 30
            )
        )
        let arguments = try Self.shellWords(patch.command)
        #expect(
            arguments == [
                "kubectl", "patch", "deployment", "web", "-n", "shop", "--type", "strategic", "-p", patch.json,
            ]
        )
        guard let kubectl = try Self.kubectl() else { return }
        let after = try Self.patched(kubectl, manifest: Self.deployment, patch: arguments[9])
        #expect(
            try Self.preStop(after, container: "nginx")
                == .execSleep(seconds: 12, command: ["sh", "-c", "sleep 12 && echo 'it''s' \"done\" $HOME"])
        )
    }

    /// How `/bin/sh` splits `command` into words (with nothing expanded or run).
    static func shellWords(_ command: String) throws -> [String] {
        let script = "kubectl() { printf '%s\\0' kubectl \"$@\"; }; \(command)"
        let result = try ExternalTool.run("/bin/sh", ["-c", script])
        try #require(result.status == 0, "sh failed: \(result.output)")
        return result.output.split(separator: "\0", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    @Test func oddNamesAreQuotedAndEscaped() throws {
        let patch = try #require(
            WorkloadPatch(
                workload: WorkloadKey(namespace: "team's ns", kind: "StatefulSet", name: "db;rm -rf /"),
                container: "a\"b\\c\n",
                current: .sleep(seconds: 1),
                recommendedPreStop: 4,
                currentGrace: 30,
                recommendedGrace: 30
            )
        )
        #expect(
            patch.json
                == #"{"spec":{"template":{"spec":{"containers":[{"name":"a\"b\\c\n","lifecycle":{"preStop":{"sleep":{"seconds":4}}}}]}}}}"#
        )
        #expect(
            try Self.shellWords(patch.command)
                == [
                    "kubectl", "patch", "statefulset", "db;rm -rf /", "-n", "team's ns", "--type", "strategic", "-p",
                    patch.json,
                ]
        )
        let decoded = try #require(try JSONSerialization.jsonObject(with: Data(patch.json.utf8)) as? [String: Any])
        let containers = Self.value(decoded, "spec.template.spec.containers") as? [[String: Any]]
        #expect(containers?.first?["name"] as? String == "a\"b\\c\n")
    }

    @Test func exactDocumentsForEachForm() throws {
        let web = WorkloadKey(namespace: "shop", kind: "Deployment", name: "web")
        let none = try #require(
            WorkloadPatch(
                workload: web,
                container: "app",
                current: .none,
                recommendedPreStop: 8,
                currentGrace: 5,
                recommendedGrace: 38
            )
        )
        #expect(
            none.json
                == #"{"spec":{"template":{"spec":{"containers":[{"name":"app","lifecycle":{"preStop":{"exec":null,"httpGet":null,"sleep":{"seconds":8},"tcpSocket":null}}}],"terminationGracePeriodSeconds":38}}}}"#
        )
        #expect(none.note?.contains("1.30") == true)
        #expect(
            none.command
                == #"kubectl patch deployment web -n shop --type strategic -p '\#(none.json)'"#
        )
        let exec = try #require(
            WorkloadPatch(
                workload: web,
                container: "app",
                current: .execSleep(seconds: 5, command: ["sleep", "5"]),
                recommendedPreStop: 8,
                currentGrace: 30,
                recommendedGrace: 30
            )
        )
        #expect(
            exec.json
                == #"{"spec":{"template":{"spec":{"containers":[{"name":"app","lifecycle":{"preStop":{"exec":{"command":["sleep","8"]}}}}]}}}}"#
        )
        #expect(exec.note == nil)
        let zero = try #require(
            WorkloadPatch(
                workload: web,
                container: "app",
                current: .sleep(seconds: 5),
                recommendedPreStop: 0,
                currentGrace: 30,
                recommendedGrace: 30
            )
        )
        #expect(zero.note?.contains("1.33") == true)
        let sleep = try #require(
            WorkloadPatch(
                workload: web,
                container: "app",
                current: .sleep(seconds: 5),
                recommendedPreStop: 9,
                currentGrace: 30,
                recommendedGrace: 30
            )
        )
        #expect(sleep.note == nil)
        #expect(sleep.json.contains(#"{"preStop":{"sleep":{"seconds":9}}}"#))
    }

    @Test(arguments: [
        (WorkloadKey(namespace: "n", kind: "Pod", name: "p"), PreStopAction.sleep(seconds: 1), 5, 30),
        (WorkloadKey(namespace: "n", kind: "ReplicaSet", name: "r"), .sleep(seconds: 1), 5, 30),
        (WorkloadKey(namespace: "n", kind: "Rollout", name: "r"), .sleep(seconds: 1), 5, 30),
        (WorkloadKey(namespace: "n", kind: "deployment", name: "d"), .sleep(seconds: 1), 5, 30),
        (WorkloadKey(namespace: "n", kind: "Deployment", name: "d"), .unknown(form: "httpGet"), 5, 30),
        (WorkloadKey(namespace: "n", kind: "Deployment", name: "d"), .unknown(form: "exec"), 5, 30),
        (WorkloadKey(namespace: "n", kind: "Deployment", name: "d"), .execSleep(seconds: 1, command: ["x"]), 5, 30),
        (WorkloadKey(namespace: "n", kind: "Deployment", name: "d"), .sleep(seconds: 1), -1, 30),
        (WorkloadKey(namespace: "n", kind: "Deployment", name: "d"), .sleep(seconds: 1), 31, 30),
    ])
    func noPatchIsWrittenWhenItWouldBeAGuess(workload: WorkloadKey, current: PreStopAction, seconds: Int, grace: Int) {
        #expect(
            WorkloadPatch(
                workload: workload,
                container: "c",
                current: current,
                recommendedPreStop: seconds,
                currentGrace: grace,
                recommendedGrace: grace
            ) == nil
        )
    }
}
