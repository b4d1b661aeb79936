import Testing

@testable import APISIXSyncExporter

/// The pod index: deletion moments (live, listed, grace 0), uid matching, tombstones, namespaces, workloads.
@Suite struct PodIndexTests {
    static func pod(
        _ name: String,
        namespace: String = "shop",
        uid: String? = nil,
        owner: OwnerReference? = OwnerReference(kind: "ReplicaSet", name: "web-5d9c7f"),
        deletionTimestamp: Double? = nil,
        grace: Int? = nil
    ) -> PodSummary {
        PodSummary(
            namespace: namespace,
            name: name,
            uid: uid ?? "uid-\(name)",
            ips: ["10.0.0.1"],
            owner: owner,
            deletionTimestamp: deletionTimestamp,
            deletionGracePeriodSeconds: grace,
            template: PodTemplateSummary(containers: [ContainerSummary(name: "app", ports: [8080])])
        )
    }

    @Test func theFirstDeletingUpdateSeenLiveIsTheDeletionMoment() {
        var index = PodIndex()
        index.replaceAll([Self.pod("web-1")])
        #expect(index.pod(namespace: "shop", name: "web-1", uid: "uid-web-1")?.deletion == nil)
        let started = index.upsert(Self.pod("web-1", deletionTimestamp: 1_030, grace: 30), at: 5, live: true)
        #expect(started)
        // A later update (the grace period shortened) keeps the moment and takes the new request time.
        let again = index.upsert(Self.pod("web-1", deletionTimestamp: 1_010, grace: 5), at: 7, live: true)
        #expect(!again)
        let deletion = index.pod(namespace: "shop", name: "web-1", uid: nil)?.deletion
        #expect(deletion == PodDeletion(seen: 5, requested: 1_005))
    }

    @Test func aDeletionNotSeenLiveHasOnlyTheRequestTime() {
        var index = PodIndex()
        index.upsert(Self.pod("web-1", deletionTimestamp: 1_030, grace: 30), at: 5, live: false)
        index.replaceAll([Self.pod("web-2", deletionTimestamp: 2_030, grace: 30)])
        #expect(
            index.pod(namespace: "shop", name: "web-2", uid: nil)?.deletion == PodDeletion(seen: nil, requested: 2_000)
        )
        #expect(index.pod(namespace: "shop", name: "web-1", uid: nil) == nil, "the list replaced it")
    }

    @Test func aRelistKeepsTheLiveMomentOfAPodAlreadyDeleting() {
        var index = PodIndex()
        index.upsert(Self.pod("web-1", deletionTimestamp: 1_030, grace: 30), at: 5, live: true)
        index.replaceAll([Self.pod("web-1", deletionTimestamp: 1_030, grace: 30)])
        #expect(index.pod(namespace: "shop", name: "web-1", uid: nil)?.deletion?.seen == 5)
    }

    @Test func aPodOfTheSameNameButAnotherUidIsAnotherPod() {
        var index = PodIndex()
        index.upsert(Self.pod("db-0", uid: "old", deletionTimestamp: 1_030, grace: 30), at: 5, live: true)
        index.upsert(Self.pod("db-0", uid: "new"), at: 9, live: true)
        #expect(index.pod(namespace: "shop", name: "db-0", uid: "new")?.deletion == nil)
        #expect(index.pod(namespace: "shop", name: "db-0", uid: "old") == nil)
    }

    @Test func aDeletedPodStaysFindableForAWhile() {
        var index = PodIndex()
        index.upsert(Self.pod("web-1"), at: 1, live: true)
        // Grace period 0: the DELETED event is the first to carry the deletion.
        index.delete(Self.pod("web-1", deletionTimestamp: 10, grace: 0), at: 10, live: true)
        #expect(index.count == 0)
        #expect(
            index.pod(namespace: "shop", name: "web-1", uid: "uid-web-1")?.deletion
                == PodDeletion(seen: 10, requested: 10)
        )
        index.delete(Self.pod("other"), at: 10 + PodIndex.tombstoneSeconds, live: true)
        #expect(index.pod(namespace: "shop", name: "web-1", uid: nil) == nil)
    }

    @Test func aNamespaceListReplacesOnlyThatNamespace() {
        var index = PodIndex()
        index.replaceAll([Self.pod("a", namespace: "one"), Self.pod("b", namespace: "two")])
        index.replaceAll([Self.pod("c", namespace: "two")], inNamespace: "two")
        #expect(index.allPods().map(\.name) == ["a", "c"])
    }

    @Test func aListStagedPageByPageReplacesLikeOneListAndKeepsTombstonesAndOtherNamespaces() {
        var index = PodIndex()
        index.replaceAll([
            Self.pod("a", namespace: "one", owner: OwnerReference(kind: "StatefulSet", name: "db")),
            Self.pod("b", namespace: "two"),
        ])
        index.upsert(Self.pod("b", namespace: "two", deletionTimestamp: 1_030, grace: 30), at: 5, live: true)
        index.delete(
            Self.pod("gone", namespace: "two", owner: OwnerReference(kind: "DaemonSet", name: "agent")),
            at: 6,
            live: true
        )
        var list = PodIndex()
        for page in [
            [Self.pod("b", namespace: "two", deletionTimestamp: 1_030, grace: 30)],
            [Self.pod("c", namespace: "two", deletionTimestamp: 2_030, grace: 30), Self.pod("x", namespace: "one")],
        ] {
            for pod in page { list.stage(pod) }
        }
        index.replaceAll(with: list, inNamespace: "two")
        #expect(index.allPods().map(\.name) == ["a", "b", "c"], "x is outside the list's namespace")
        #expect(
            index.pod(namespace: "one", name: "a", uid: nil)?.owner == OwnerReference(kind: "StatefulSet", name: "db")
        )
        #expect(index.pod(namespace: "two", name: "b", uid: nil)?.deletion == PodDeletion(seen: 5, requested: 1_000))
        #expect(index.pod(namespace: "two", name: "c", uid: nil)?.deletion == PodDeletion(seen: nil, requested: 2_000))
        let tombstone = index.pod(namespace: "two", name: "gone", uid: nil)
        #expect(tombstone?.owner == OwnerReference(kind: "DaemonSet", name: "agent"))
        #expect(tombstone?.template.containers.first?.name == "app")
    }

    @Test func workloadsFollowTheOwnerChain() {
        var index = PodIndex()
        index.replaceAllReplicaSets([
            ReplicaSetSummary(
                namespace: "shop",
                name: "web-5d9c7f",
                owner: OwnerReference(kind: "Deployment", name: "web")
            ),
            ReplicaSetSummary(namespace: "shop", name: "lonely", owner: nil),
        ])
        let cases: [(OwnerReference?, WorkloadKey, PodIndex.WorkloadGap?)] = [
            (
                OwnerReference(kind: "ReplicaSet", name: "web-5d9c7f"),
                .init(namespace: "shop", kind: "Deployment", name: "web"), nil
            ),
            (
                OwnerReference(kind: "ReplicaSet", name: "lonely"),
                .init(namespace: "shop", kind: "ReplicaSet", name: "lonely"), nil
            ),
            (
                OwnerReference(kind: "ReplicaSet", name: "gone"),
                .init(namespace: "shop", kind: "ReplicaSet", name: "gone"), .ownerMissing
            ),
            (
                OwnerReference(kind: "StatefulSet", name: "db"),
                .init(namespace: "shop", kind: "StatefulSet", name: "db"), nil
            ),
            (
                OwnerReference(kind: "Rollout", name: "argo"), .init(namespace: "shop", kind: "Rollout", name: "argo"),
                nil
            ),
            (nil, .init(namespace: "shop", kind: "Pod", name: "p"), nil),
        ]
        for (owner, expected, gap) in cases {
            index.upsert(Self.pod("p", owner: owner), at: 1, live: true)
            let pod = index.pod(namespace: "shop", name: "p", uid: nil)
            let resolved = pod.map { index.workload(of: $0) }
            #expect(resolved?.0 == expected && resolved?.1 == gap, "\(String(describing: owner))")
        }
    }

    @Test func templatesAndOwnersAreStoredOnceAndSurviveCompaction() {
        var index = PodIndex()
        index.replaceAll((0..<1_000).map { Self.pod("web-\($0)") })
        index.delete(Self.pod("web-3"), at: 1, live: true)
        for round in 0..<12_000 {
            index.upsert(
                Self.pod("churn-\(round % 10)", owner: OwnerReference(kind: "ReplicaSet", name: "rs-\(round)")),
                at: 1,
                live: true
            )
        }
        let pod = index.pod(namespace: "shop", name: "web-7", uid: nil)
        #expect(pod?.owner == OwnerReference(kind: "ReplicaSet", name: "web-5d9c7f"))
        #expect(pod?.template.containers.first?.name == "app")
        #expect(index.pod(namespace: "shop", name: "churn-9", uid: nil)?.owner?.name == "rs-11999")
        let tombstone = index.pod(namespace: "shop", name: "web-3", uid: nil)
        #expect(tombstone?.owner == OwnerReference(kind: "ReplicaSet", name: "web-5d9c7f"))
        #expect(tombstone?.template.containers.first?.name == "app")
        #expect(tombstone?.deletion?.seen == 1)
    }
}
