import Foundation
import Testing

@testable import APISIXSyncExporter

/// `PodSummary` read with ``JSONReader``: the fields it keeps, every preStop form, nothing secret kept, and malformed
/// shapes that fail (or decode) without trapping.
@Suite struct PodSummaryDecodingTests {
    func decode(_ text: String) throws -> PodSummary {
        try PodSummary.decode(Data(text.utf8))
    }

    @Test func keepsIdentityOwnerDeletionAddressesAndTermination() throws {
        let pod = try decode(PodFixtures.pod())
        #expect(pod.namespace == "shop")
        #expect(pod.name == "web-7d4b9c-x2x9q")
        #expect(pod.uid == "0b6c1f7e-pod")
        #expect(pod.resourceVersion == "4711")
        #expect(pod.owner == OwnerReference(kind: "ReplicaSet", name: "web-7d4b9c", uid: "u1"))
        #expect(pod.deletionTimestamp == 1_796_596_543)
        #expect(pod.deletionGracePeriodSeconds == 30)
        #expect(pod.deletionRequested == 1_796_596_513)
        #expect(pod.ips == ["10.1.2.3", "fd00::3"])
        #expect(
            pod.template
                == PodTemplateSummary(
                    containers: [
                        ContainerSummary(name: "app", ports: [8080, 9090], preStop: .sleep(seconds: 5)),
                        ContainerSummary(name: "sidecar"),
                    ],
                    terminationGracePeriodSeconds: 45
                )
        )
    }

    @Test(arguments: [
        (#"{"sleep":{"seconds":5}}"#, PreStopAction.sleep(seconds: 5)),
        (#"{"sleep":{"seconds":0}}"#, .sleep(seconds: 0)),
        (#"{"exec":{"command":["sleep","5"]}}"#, .execSleep(seconds: 5, command: ["sleep", "5"])),
        (#"{"exec":{"command":["sleep","5s"]}}"#, .execSleep(seconds: 5, command: ["sleep", "5s"])),
        (
            #"{"exec":{"command":["/bin/sh","-c","sleep 5 && nginx -s quit"]}}"#,
            .execSleep(seconds: 5, command: ["/bin/sh", "-c", "sleep 5 && nginx -s quit"])
        ),
        (#"{"exec":{"command":["sh","-c","echo hi; sleep 5"]}}"#, .unknown(form: "exec")),
        (#"{"exec":{"command":[]}}"#, .unknown(form: "exec")),
        (#"{"exec":{"command":null}}"#, .unknown(form: "exec")),
        (#"{"exec":{}}"#, .unknown(form: "exec")),
        (#"{"httpGet":{"path":"/drain","port":8080}}"#, .unknown(form: "httpGet")),
        (#"{"tcpSocket":{"port":8080}}"#, .unknown(form: "tcpSocket")),
        (#"{"sleep":{"seconds":-1}}"#, .unknown(form: "sleep")),
        (#"{"sleep":{}}"#, .unknown(form: "sleep")),
        (#"{"sleep":null,"exec":{"command":["sleep","3"]}}"#, .execSleep(seconds: 3, command: ["sleep", "3"])),
        (#"{"sleep":{"seconds":5},"exec":{"command":["sleep","3"]}}"#, .unknown(form: "other")),
        (#"{}"#, .unknown(form: "other")),
        (#"{"grpc":{"port":1}}"#, .unknown(form: "other")),
        ("null", .none),
    ])
    func readsEveryPreStopForm(preStop: String, expected: PreStopAction) throws {
        #expect(try decode(PodFixtures.pod(preStop: preStop)).template.containers.first?.preStop == expected)
    }

    @Test func anAbsentLifecycleIsNoPreStop() throws {
        let text = #"{"metadata":{"name":"p","namespace":"n"},"spec":{"containers":[{"name":"a","lifecycle":{}}]}}"#
        let pod = try decode(text)
        #expect(pod.template.containers == [ContainerSummary(name: "a")])
        #expect(pod.template.terminationGracePeriodSeconds == 30)
        #expect(pod.owner == nil && pod.deletionTimestamp == nil && pod.ips.isEmpty)
    }

    @Test func secretsInEnvAreNotKept() throws {
        let pod = try decode(PodFixtures.pod())
        var dumped = ""
        dump(pod, to: &dumped)
        for text in [String(describing: pod), String(reflecting: pod), dumped] {
            #expect(!text.contains("s3cr3t-token-123"))
            #expect(!text.contains("db-credentials"))
            #expect(!text.contains("API_TOKEN"))
            #expect(!text.contains("web-token"))
            #expect(!text.contains("restartedAt"))
        }
        #expect(dumped.contains("web-7d4b9c-x2x9q"))
    }

    @Test func theControllerOwnerWinsElseTheFirst() throws {
        func owner(_ references: String) throws -> OwnerReference? {
            try decode(#"{"metadata":{"name":"p","namespace":"n","ownerReferences":\#(references)}}"#).owner
        }
        #expect(try owner("null") == nil)
        #expect(try owner("[]") == nil)
        #expect(
            try owner(#"[{"kind":"A","name":"a"},{"kind":"B","name":"b","controller":false}]"#)
                == OwnerReference(kind: "A", name: "a")
        )
        #expect(
            try owner(#"[{"kind":"A","name":"a","controller":null},{"kind":"B","name":"b","controller":true}]"#)
                == OwnerReference(kind: "B", name: "b")
        )
    }

    @Test func podIPFallsBackAndNullsAreEmpty() throws {
        #expect(try decode(PodFixtures.pod(status: #"{"podIP":"10.0.0.9","podIPs":null}"#)).ips == ["10.0.0.9"])
        #expect(try decode(PodFixtures.pod(status: #"{"podIP":"10.0.0.9","podIPs":[]}"#)).ips == ["10.0.0.9"])
        #expect(try decode(PodFixtures.pod(status: #"{"podIP":null}"#)).ips == [])
        #expect(try decode(PodFixtures.pod(status: #"{"podIP":""}"#)).ips == [])
        #expect(try decode(PodFixtures.pod(status: "null")).ips == [])
    }

    @Test func nullContainersOwnerReferencesAndSpecDecode() throws {
        let text = """
            {"metadata":{"name":"p","namespace":"n","ownerReferences":null,"deletionTimestamp":null,
              "deletionGracePeriodSeconds":null,"uid":null},
             "spec":{"containers":null,"terminationGracePeriodSeconds":null},"status":{"podIPs":null}}
            """
        #expect(try decode(text) == PodSummary(namespace: "n", name: "p"))
        #expect(
            try decode(#"{"metadata":{"name":"p","namespace":"n"},"spec":null}"#)
                == PodSummary(namespace: "n", name: "p")
        )
    }

    @Test(arguments: [
        "2026-12-06T22:35:43.123456789Z", "2026-12-06T23:35:43+01:00",
    ])
    func deletionTimestampsWithFractionsAndOffsets(timestamp: String) throws {
        let pod = try decode(PodFixtures.pod(deletion: #""deletionTimestamp":"\#(timestamp)","#))
        let seconds = try #require(pod.deletionTimestamp)
        #expect(abs(seconds - 1_796_596_543) < 0.5)
    }

    @Test(arguments: [
        // Bad timestamps.
        PodFixtures.pod(deletion: #""deletionTimestamp":"yesterday","#),
        PodFixtures.pod(deletion: #""deletionTimestamp":"2026-12-06T22:35:43","#),
        PodFixtures.pod(deletion: #""deletionTimestamp":1796596543,"#),
        // Required fields missing or null, wrong types.
        #"{"metadata":{"name":"p"}}"#,
        #"{"metadata":{"name":null,"namespace":"n"}}"#,
        #"{"spec":{}}"#,
        #"{"metadata":{"name":"p","namespace":"n","ownerReferences":{}}}"#,
        #"{"metadata":{"name":"p","namespace":"n","ownerReferences":[{"kind":"A"}]}}"#,
        #"{"metadata":{"name":"p","namespace":"n"},"spec":{"containers":[{"image":"x"}]}}"#,
        #"{"metadata":{"name":"p","namespace":"n"},"spec":{"containers":{}}}"#,
        #"{"metadata":{"name":"p","namespace":"n"},"spec":{"containers":[{"name":"a","ports":[{"containerPort":"80"}]}]}}"#,
        #"{"metadata":{"name":"p","namespace":"n"},"spec":{"terminationGracePeriodSeconds":"30"}}"#,
        #"{"metadata":{"name":"p","namespace":"n"},"status":{"podIPs":[{"ip":null}]}}"#,
        #"{"metadata":{"name":"p","namespace":"n"},"status":{"podIPs":"10.0.0.1"}}"#,
        PodFixtures.pod(preStop: #"{"exec":{"command":[1,2,3]}}"#),
        PodFixtures.pod(preStop: #"{"exec":{"command":[["sleep"],{"a":1}]}}"#),
        PodFixtures.pod(preStop: #"{"exec":{"command":"sleep 5"}}"#),
        PodFixtures.pod(preStop: #"{"sleep":{"seconds":"5"}}"#),
        PodFixtures.pod(preStop: #"{"sleep":{"seconds":1e300}}"#),
        PodFixtures.pod(preStop: #"{"sleep":5}"#),
        PodFixtures.pod(preStop: #"{"httpGet":"/drain"}"#),
        PodFixtures.pod(preStop: "[]"),
        PodFixtures.pod(preStop: "5"),
        // Not JSON.
        "", "[]", "null", #"{"metadata":{"name":"p","namespace":"n"}} trailing"#,
        String(PodFixtures.pod().dropLast(3)),
    ])
    func malformedShapesFail(text: String) {
        #expect(throws: (any Error).self) { try decode(text) }
    }

    @Test func hugeAndDeepDocumentsDoNotTrap() throws {
        let ports = Array(repeating: #"{"containerPort":80}"#, count: 50_000).joined(separator: ",")
        let containers = Array(repeating: #"{"name":"c","ports":[\#(ports)]}"#, count: 4).joined(separator: ",")
        let env = Array(repeating: #"{"name":"K","value":"\#(String(repeating: "v", count: 1_000))"}"#, count: 2_000)
        let text = """
            {"metadata":{"name":"p","namespace":"n"},"spec":{"containers":[\(containers),
              {"name":"big","env":[\(env.joined(separator: ","))],"lifecycle":{"preStop":{"exec":{"command":
              ["sh","-c","\(String(repeating: "x", count: 1_000_000))"]}}}}]}}
            """
        let pod = try decode(text)
        #expect(pod.template.containers.count == 5)
        #expect(pod.template.containers[0].ports.count == 50_000)
        #expect(pod.template.containers[4].preStop == .unknown(form: "exec"))
        let deep = #"{"metadata":{"name":"p","namespace":"n"},"spec":{"x":"# + String(repeating: "[", count: 10_000)
        #expect(throws: (any Error).self) { try decode(deep) }
    }
}
