import Logging
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// A list arrives page by page and each namespace's watcher lists on its own: pages are staged per namespace and take
/// effect when their list completes.
@Suite struct PagedListTests {
    static func tracker() -> SyncTracker {
        SyncTracker(
            settings: ExporterSettings().tracker,
            targets: [],
            metrics: ExporterMetrics(resolution: 0.1),
            logger: Logger(label: "t")
        )
    }

    static func services(_ names: String...) -> [ServiceKey] {
        names.map { name in
            let parts = name.split(separator: "/").map(String.init)
            return ServiceKey(namespace: parts[0], name: parts[1])
        }
    }

    @Test func pagesOfTwoNamespacesListedAtOnceStayApart() async {
        let tracker = Self.tracker()
        await tracker.kubernetesListPage([slice("web-a", [("10.0.0.1", true, nil)])], namespace: "shop", first: true)
        await tracker.kubernetesListPage(
            [slice("web-a", namespace: "other", [("10.0.9.1", true, nil)])],
            namespace: "other",
            first: true
        )
        await tracker.kubernetesListPage(
            [slice("api-a", service: "api", [("10.0.1.1", true, nil)])],
            namespace: "shop",
            first: false
        )
        #expect(await tracker.index.sliceCount == 0)
        await tracker.kubernetesListCompleted(namespace: "other", at: 100, earliestStart: nil)
        #expect(await tracker.index.services == Self.services("other/web"))
        await tracker.kubernetesListCompleted(namespace: "shop", at: 100, earliestStart: nil)
        #expect(await tracker.index.services == Self.services("other/web", "shop/api", "shop/web"))
    }

    @Test func aFirstPageStartsTheListAgain() async {
        let tracker = Self.tracker()
        // A list that failed after its first page: the retry's first page drops what the failed one staged.
        await tracker.kubernetesListPage(
            [slice("api-a", service: "api", [("10.0.1.1", true, nil)])],
            namespace: nil,
            first: true
        )
        await tracker.kubernetesListPage([slice("web-a", [("10.0.0.1", true, nil)])], namespace: nil, first: true)
        await tracker.kubernetesListCompleted(namespace: nil, at: 100, earliestStart: nil)
        #expect(await tracker.index.services == Self.services("shop/web"))
        #expect(
            await tracker.index.endpoints(of: ServicePortKey(namespace: "shop", service: "web", port: "http"))?.ready
                == nodes("10.0.0.1")
        )
    }
}
