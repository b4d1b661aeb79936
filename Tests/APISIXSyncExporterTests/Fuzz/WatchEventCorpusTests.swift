import Foundation
import Testing

@testable import APISIXSyncExporter

/// The seed corpus of `fuzz-watch-event` (`Fuzz/Corpus/fuzz-watch-event`, see `docs/fuzzing.md`) replayed through the
/// production decoders the way the fuzz target drives them: every line through `WatchEvent.decode` and into an
/// `EndpointSliceIndex`, the whole input through `EndpointSliceList.decode` and `KubernetesStatus.decode`. Every input
/// must decode or fail with an error (a trap would end the test process); the seeds listed here must give exactly
/// these results.
@Suite struct WatchEventCorpusTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Fuzz/Corpus/fuzz-watch-event")

    /// What each line of a seed decodes to.
    static let expectedLines: [String: [String]] = [
        "added.jsonl": ["ADDED shop/web-x7k2p"],
        "bookmark-initial-events-end.jsonl": ["BOOKMARK 88"],
        "error-410.jsonl": ["ERROR 410 Expired"],
        "ipv6-and-fqdn.jsonl": ["ADDED data/db-v6", "ADDED data/ext-1"],
        "list-page.json": Array(repeating: "malformed watch event: not a watch event envelope", count: 5),
        "odd-shapes.jsonl": [
            "MODIFIED x/weird", "malformed watch event: unknown event type SOMETHING",
            "malformed watch event: not a watch event envelope",
        ],
        "status-429.json": ["malformed watch event: not a watch event envelope"],
        "stream.jsonl": ["ADDED team/api-1", "MODIFIED team/api-1", "BOOKMARK 702", "DELETED team/api-1"],
    ]

    /// One input through the decoders, as `Fuzz/Sources/fuzz-watch-event/main.swift` does.
    static func replay(_ data: Data) -> (lines: [String], list: EndpointSliceList?, status: KubernetesStatus?) {
        var index = EndpointSliceIndex()
        var lines: [String] = []
        for line in data.split(separator: UInt8(ascii: "\n")) {
            do {
                switch try WatchEvent.decode(Data(line)) {
                case .added(let slice):
                    _ = index.upsert(slice)
                    lines.append("ADDED \(slice.sliceKey)")
                case .modified(let slice):
                    _ = index.upsert(slice)
                    lines.append("MODIFIED \(slice.sliceKey)")
                case .deleted(let slice):
                    _ = index.delete(slice)
                    lines.append("DELETED \(slice.sliceKey)")
                case .bookmark(let resourceVersion): lines.append("BOOKMARK \(resourceVersion)")
                case .error(let status):
                    lines.append("ERROR \(status.code.map(String.init) ?? "-") \(status.reason ?? "-")")
                }
            } catch {
                lines.append(error.description)
            }
        }
        let list = try? EndpointSliceList.decode(data)
        if let list {
            _ = index.replaceAll(list.items)
        }
        return (lines, list, try? KubernetesStatus.decode(data))
    }

    @Test func everySeedDecodesOrFailsWithAnError() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).sorted()
        #expect(Set(Self.expectedLines.keys).isSubset(of: names))
        for name in names {
            let (lines, _, _) = Self.replay(try Data(contentsOf: Self.directory.appendingPathComponent(name)))
            if let expected = Self.expectedLines[name] {
                #expect(lines == expected, "\(name)")
            }
        }
    }

    @Test func theListPageSeedIsAPage() throws {
        let (_, list, _) = Self.replay(try Data(contentsOf: Self.directory.appendingPathComponent("list-page.json")))
        let page = try #require(list)
        #expect(page.metadata.resourceVersion == "4242")
        #expect(page.metadata.continue == "eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6NDI0Mn0")
        #expect(page.items.map(\.sliceKey) == ["shop/web-a", "shop/web-b", "shop/orphan"])
        #expect(
            page.items.map(\.service) == [
                ServiceKey(namespace: "shop", name: "web"), .init(namespace: "shop", name: "web"), nil,
            ]
        )
    }

    @Test func theStatusSeedIsAStatus() throws {
        let (_, list, status) = Self.replay(
            try Data(contentsOf: Self.directory.appendingPathComponent("status-429.json"))
        )
        // With `metadata` and no `items`, a Status is an empty list page: neither decoder looks at `kind` (the client
        // reads a body as a list only after a 200).
        #expect(list?.items.isEmpty == true)
        #expect(list?.metadata.resourceVersion == nil)
        #expect(
            status
                == KubernetesStatus(
                    status: "Failure",
                    message: "Too many requests, please try again later.",
                    reason: "TooManyRequests",
                    code: 429
                )
        )
    }

    /// Odd values in the seeds decode as they are: the index, not the decoder, judges them.
    @Test func oddShapesKeepTheirValues() throws {
        let line = try #require(
            try Data(contentsOf: Self.directory.appendingPathComponent("odd-shapes.jsonl"))
                .split(separator: UInt8(ascii: "\n")).first
        )
        guard case .modified(let slice) = try WatchEvent.decode(Data(line)) else {
            Issue.record("expected MODIFIED")
            return
        }
        #expect(slice.endpoints == [.init(addresses: [], conditions: .init())])
        #expect(
            slice.ports == [.init(name: nil, port: -1, protocol: nil), .init(name: "big", port: 99999, protocol: nil)]
        )
    }
}
