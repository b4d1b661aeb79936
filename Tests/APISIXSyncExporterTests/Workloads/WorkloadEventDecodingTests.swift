import Foundation
import Testing

@testable import APISIXSyncExporter

/// List pages and watch lines of Pods and ReplicaSets, with the envelope rules of `WatchEvent`.
@Suite struct WorkloadEventDecodingTests {
    static let expired = #"""
        {"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
          "message":"too old resource version: 1 (4711)","reason":"Expired","code":410}}
        """#

    func pod(_ line: String) throws(WatchEvent.DecodingError) -> KubernetesObjectEvent<PodSummary> {
        try KubernetesObjectEvent<PodSummary>.decode(Data(line.utf8))
    }

    func replicaSet(_ line: String) throws(WatchEvent.DecodingError) -> KubernetesObjectEvent<ReplicaSetSummary> {
        try KubernetesObjectEvent<ReplicaSetSummary>.decode(Data(line.utf8))
    }

    @Test func decodesEveryPodEventType() throws {
        let decoded = try PodSummary.decode(Data(PodFixtures.pod().utf8))
        #expect(try pod(#"{"type":"ADDED","object":\#(PodFixtures.pod())}"#) == .added(decoded))
        #expect(try pod(#"{"object":\#(PodFixtures.pod()),"type":"MODIFIED"}"#) == .modified(decoded))
        #expect(try pod(#"{"type":"DELETED","object":\#(PodFixtures.pod())}"#) == .deleted(decoded))
        let bookmark = #"{"type":"BOOKMARK","object":{"kind":"Pod","metadata":{"resourceVersion":"9001"}}}"#
        #expect(try pod(bookmark) == .bookmark(resourceVersion: "9001"))
        #expect(
            try pod(Self.expired)
                == .error(
                    KubernetesStatus(
                        status: "Failure",
                        message: "too old resource version: 1 (4711)",
                        reason: "Expired",
                        code: 410
                    )
                )
        )
    }

    @Test func decodesEveryReplicaSetEventType() throws {
        let decoded = ReplicaSetSummary(
            namespace: "shop",
            name: "web-7d4b9c",
            resourceVersion: "900",
            owner: OwnerReference(kind: "Deployment", name: "web", uid: "d1")
        )
        #expect(try replicaSet(#"{"type":"ADDED","object":\#(PodFixtures.replicaSet)}"#) == .added(decoded))
        #expect(try replicaSet(#"{"type":"MODIFIED","object":\#(PodFixtures.replicaSet)}"#) == .modified(decoded))
        #expect(try replicaSet(#"{"type":"DELETED","object":\#(PodFixtures.replicaSet)}"#) == .deleted(decoded))
        let bookmark = #"{"type":"BOOKMARK","object":{"kind":"ReplicaSet","metadata":{"resourceVersion":"77"}}}"#
        #expect(try replicaSet(bookmark) == .bookmark(resourceVersion: "77"))
        guard case .error(let status) = try replicaSet(Self.expired) else {
            Issue.record("expected an ERROR event")
            return
        }
        #expect(status.code == 410)
        var dumped = ""
        dump(try replicaSet(#"{"type":"ADDED","object":\#(PodFixtures.replicaSet)}"#), to: &dumped)
        #expect(!dumped.contains("s3cr3t"))
    }

    /// The same lines are rejected, with the same reasons, as `WatchEvent.decode` rejects them.
    @Test(arguments: [
        (#"{"type":"ADDED","object":{"metadata":{"name":"p","namespace":"n"}}"#, "not a watch event envelope"),
        (#"{"object":{"metadata":{"name":"p","namespace":"n"}}}"#, "not a watch event envelope"),
        (#"{"type":null,"object":{}}"#, "not a watch event envelope"),
        (#"{"type":"ADDED","object":{}} {}"#, "not a watch event envelope"),
        (#"{"type":"RENAMED","object":{}}"#, "unknown event type RENAMED"),
        (#"{"type":"ADDED"}"#, "ADDED object does not decode"),
        (#"{"type":"MODIFIED","object":{"metadata":1}}"#, "MODIFIED object does not decode"),
        (#"{"type":"DELETED","object":null}"#, "DELETED object does not decode"),
        (#"{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":""}}}"#, "bookmark without resourceVersion"),
        (#"{"type":"BOOKMARK","object":{"metadata":{}}}"#, "bookmark without resourceVersion"),
        (#"{"type":"BOOKMARK","object":{}}"#, "BOOKMARK object does not decode"),
        (#"{"type":"ERROR","object":[]}"#, "ERROR object does not decode"),
    ])
    func rejectsLikeWatchEvent(line: String, reason: String) {
        func reasonOf(_ body: () throws(WatchEvent.DecodingError) -> Void) -> String? {
            do {
                try body()
                return nil
            } catch {
                return error.reason
            }
        }
        #expect(reasonOf { () throws(WatchEvent.DecodingError) in _ = try pod(line) } == reason)
        #expect(reasonOf { () throws(WatchEvent.DecodingError) in _ = try replicaSet(line) } == reason)
        #expect(
            reasonOf { () throws(WatchEvent.DecodingError) in _ = try WatchEvent.decode(Data(line.utf8)) } == reason
        )
    }

    @Test func aPodOfTheWrongShapeIsNotAnObjectOfItsType() {
        let line = #"{"type":"ADDED","object":\#(PodFixtures.pod(deletion: #""deletionTimestamp":"soon","#))}"#
        #expect(throws: WatchEvent.DecodingError.self) { try pod(line) }
    }

    @Test func decodesPodAndReplicaSetPages() throws {
        let pods = try KubernetesObjectPage<PodSummary>.decode(
            Data(
                #"""
                {"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"5000","continue":"next-token",
                 "remainingItemCount":7},"items":[\#(PodFixtures.pod()),\#(PodFixtures.pod(preStop: "null"))]}
                """#.utf8
            )
        )
        #expect(pods.resourceVersion == "5000")
        #expect(pods.continueToken == "next-token")
        #expect(pods.items.map(\.template.containers[0].preStop) == [.sleep(seconds: 5), PreStopAction.none])
        let replicaSets = try KubernetesObjectPage<ReplicaSetSummary>.decode(
            Data(#"{"metadata":{"resourceVersion":"12"},"items":[\#(PodFixtures.replicaSet)]}"#.utf8)
        )
        #expect(replicaSets.resourceVersion == "12")
        #expect(replicaSets.continueToken == nil)
        #expect(replicaSets.items.map(\.owner?.kind) == ["Deployment"])
    }

    @Test(arguments: [
        #"{"metadata":{"resourceVersion":"1"},"items":null}"#,
        #"{"metadata":{"resourceVersion":"1","continue":null}}"#,
        #"{"items":[],"metadata":{"resourceVersion":"1","continue":""}}"#,
    ])
    func emptyPages(text: String) throws {
        let page = try KubernetesObjectPage<PodSummary>.decode(Data(text.utf8))
        #expect(page.items.isEmpty)
        #expect(page.resourceVersion == "1")
    }

    @Test(arguments: [
        #"{"items":[]}"#,
        #"{"metadata":null,"items":[]}"#,
        #"{"metadata":{},"items":{}}"#,
        #"{"metadata":{},"items":[{"metadata":{"name":"p"}}]}"#,
        #"{"metadata":{"resourceVersion":5},"items":[]}"#,
        #"{"metadata":{},"items":[]}]"#,
    ])
    func malformedPagesFail(text: String) {
        #expect(throws: (any Error).self) { try KubernetesObjectPage<PodSummary>.decode(Data(text.utf8)) }
        #expect(throws: (any Error).self) { try KubernetesObjectPage<ReplicaSetSummary>.decode(Data(text.utf8)) }
    }
}
