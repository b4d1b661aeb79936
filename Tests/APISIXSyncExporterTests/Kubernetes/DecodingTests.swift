import Foundation
import Testing

@testable import APISIXSyncExporter

/// Decoders against hand-written documents shaped like the real API server's output.
@Suite struct KubernetesDecodingTests {
    static let terminatingSlice = """
        {"kind":"EndpointSlice","apiVersion":"discovery.k8s.io/v1",
         "metadata":{"name":"web-6tjbr","namespace":"shop","resourceVersion":"4711",
           "labels":{"kubernetes.io/service-name":"web",
                     "endpointslice.kubernetes.io/managed-by":"endpointslice-controller.k8s.io"}},
         "addressType":"IPv4",
         "endpoints":[
           {"addresses":["10.1.0.7"],"conditions":{"ready":false,"serving":true,"terminating":true},
            "nodeName":"node-a","targetRef":{"kind":"Pod","name":"web-1","namespace":"shop","uid":"u1"},"zone":"z1"},
           {"addresses":["10.1.0.8"],"conditions":{"ready":true,"serving":true,"terminating":false}},
           {"addresses":["10.1.0.9"],"conditions":{}}
         ],
         "ports":[{"name":"http","port":8080,"protocol":"TCP"}]}
        """

    /// One slice through the production list-page decoder (`EndpointSlice` has no decoder of its own).
    static func decodeSlice(_ json: String) throws -> EndpointSlice {
        let page = try EndpointSliceList.decode(Data(#"{"metadata":{},"items":[\#(json)]}"#.utf8))
        #expect(page.items.count == 1)
        return try #require(page.items.first)
    }

    @Test func decodesAnEndpointSliceWithConditions() throws {
        let slice = try Self.decodeSlice(Self.terminatingSlice)
        #expect(slice.service == ServiceKey(namespace: "shop", name: "web"))
        #expect(slice.endpoints.count == 3)
        #expect(slice.endpoints[0].conditions?.ready == false)
        #expect(slice.endpoints[0].conditions?.terminating == true)
        #expect(slice.endpoints[2].conditions?.ready == nil)
        #expect(slice.ports == [.init(name: "http", port: 8080, protocol: "TCP")])
    }

    @Test func skipsTargetReferencesWhenNotRead() throws {
        let line = Data("{\"type\":\"MODIFIED\",\"object\":\(Self.terminatingSlice)}".utf8)
        guard case .modified(let full) = try WatchEvent.decode(line),
            case .modified(let skipped) = try WatchEvent.decode(line, targetReferences: false)
        else {
            Issue.record("expected MODIFIED")
            return
        }
        #expect(full.endpoints[0].targetRef?.uid == "u1")
        var expected = full
        expected.endpoints[0].targetRef = nil
        #expect(skipped == expected)
        // Skipped, but still JSON: a malformed targetRef fails the line either way.
        let broken = Data(
            "{\"type\":\"MODIFIED\",\"object\":\(Self.terminatingSlice)}"
                .replacingOccurrences(of: #""uid":"u1"}"#, with: #""uid":"u1",}"#).utf8
        )
        #expect(throws: WatchEvent.DecodingError.self) { try WatchEvent.decode(broken, targetReferences: false) }
        // Of another type where it is skipped: like an unknown field, not read, so not rejected.
        let number = Data(
            (#"{"type":"ADDED","object":{"metadata":{"name":"a","namespace":"b"},"#
                + #""endpoints":[{"addresses":["10.0.0.1"],"targetRef":5}]}}"#).utf8
        )
        #expect(throws: WatchEvent.DecodingError.self) { try WatchEvent.decode(number) }
        guard case .added(let slice) = try WatchEvent.decode(number, targetReferences: false) else {
            Issue.record("expected ADDED")
            return
        }
        #expect(slice.endpoints == [.init(addresses: ["10.0.0.1"])])
    }

    /// The API server writes `type` first and the line is read in one pass; any other order, or a key given twice,
    /// reads the same as the envelope-first path would: the last value of a key counts.
    @Test func envelopeKeysInAnyOrderDecodeAlike() throws {
        let slice = Self.terminatingSlice
        let expected = try Self.decodeSlice(slice)
        let lines: [(String, WatchEvent)] = [
            (#"{"type":"ADDED","object":\#(slice)}"#, .added(expected)),
            (#"{"object":\#(slice),"type":"ADDED"}"#, .added(expected)),
            (#"{"type":"ADDED","object":\#(slice),"type":"DELETED"}"#, .deleted(expected)),
            (#"{"type":"ADDED","object":{"metadata":null},"object":\#(slice)}"#, .added(expected)),
            (#"{"type":"FOO","type":"MODIFIED","object":\#(slice)}"#, .modified(expected)),
        ]
        for (line, event) in lines {
            #expect(try WatchEvent.decode(Data(line.utf8)) == event)
        }
        let rejected: [(String, String)] = [
            (#"{"type":"ADDED","object":\#(slice),"type":"FOO"}"#, "unknown event type FOO"),
            (#"{"type":"ADDED","object":\#(slice),}"#, "not a watch event envelope"),
            (#"{"type":"ADDED","object":{"metadata":null}}"#, "ADDED object does not decode"),
            (#"{"type":"ADDED","object":\#(slice),"object":{"metadata":null}}"#, "ADDED object does not decode"),
        ]
        for (line, reason) in rejected {
            #expect {
                try WatchEvent.decode(Data(line.utf8))
            } throws: { error in
                (error as? WatchEvent.DecodingError)?.reason == reason
            }
        }
    }

    @Test func acceptsNullEndpointsAndPorts() throws {
        let json = """
            {"metadata":{"name":"web-x","namespace":"shop","labels":{"kubernetes.io/service-name":"web"}},
             "addressType":"IPv4","endpoints":null,"ports":null}
            """
        let slice = try Self.decodeSlice(json)
        #expect(slice.endpoints.isEmpty)
        #expect(slice.ports.isEmpty)
    }

    @Test func decodesEveryWatchEventType() throws {
        let added = try WatchEvent.decode(Data("{\"type\":\"ADDED\",\"object\":\(Self.terminatingSlice)}".utf8))
        guard case .added(let slice) = added else {
            Issue.record("expected ADDED")
            return
        }
        #expect(slice.metadata.resourceVersion == "4711")
        let bookmark = """
            {"type":"BOOKMARK","object":{"kind":"EndpointSlice","apiVersion":"discovery.k8s.io/v1",
             "metadata":{"resourceVersion":"9001","annotations":{"k8s.io/initial-events-end":"true"}}}}
            """
        #expect(try WatchEvent.decode(Data(bookmark.utf8)) == .bookmark(resourceVersion: "9001"))
        let expired = """
            {"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
             "message":"too old resource version: 12 (340)","reason":"Expired","code":410}}
            """
        guard case .error(let status) = try WatchEvent.decode(Data(expired.utf8)) else {
            Issue.record("expected ERROR")
            return
        }
        #expect(status.code == 410)
        #expect(status.reason == "Expired")
    }

    @Test(arguments: [
        "not json", "{}", "{\"type\":\"ADDED\"}", "{\"type\":\"WHAT\",\"object\":{}}",
        "{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{}}}", "{\"type\":\"MODIFIED\",\"object\":{\"metadata\":1}}",
    ])
    func rejectsMalformedEvents(line: String) {
        #expect(throws: WatchEvent.DecodingError.self) { try WatchEvent.decode(Data(line.utf8)) }
    }

    @Test func decodesAListPageWithContinueToken() throws {
        let json = """
            {"kind":"EndpointSliceList","apiVersion":"discovery.k8s.io/v1",
             "metadata":{"resourceVersion":"77","continue":"eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ"},
             "items":[\(Self.terminatingSlice)]}
            """
        let list = try EndpointSliceList.decode(Data(json.utf8))
        #expect(list.metadata.resourceVersion == "77")
        #expect(list.metadata.continue == "eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ")
        #expect(list.items.count == 1)
    }

    /// Odd but valid shapes, each with what it decodes to; the watch and the list path give the same slice.
    @Test(arguments: [
        (
            #"{"metadata":{"name":"a","namespace":"b","labels":null,"resourceVersion":null},"#
                + #""endpoints":null,"ports":null}"#,
            EndpointSlice(metadata: .init(name: "a", namespace: "b"), addressType: nil, endpoints: [], ports: [])
        ),
        (
            #"{"metadata":{"name":"a","namespace":"b"},"addressType":"IPv6","endpoints":[{"addresses":null}],"#
                + #""ports":[{"port":null,"name":null},{"port":443}]}"#,
            EndpointSlice(
                metadata: .init(name: "a", namespace: "b"),
                addressType: "IPv6",
                endpoints: [.init(addresses: [])],
                ports: [.init(name: nil, port: nil, protocol: nil), .init(name: nil, port: 443, protocol: nil)]
            )
        ),
        (
            #"{"metadata":{"name":"é\u00e9","namespace":"b","labels":{}},"#
                + #""endpoints":[{"conditions":null}],"ports":[]}"#,
            EndpointSlice(
                metadata: .init(name: "éé", namespace: "b", labels: [:]),
                addressType: nil,
                endpoints: [.init(addresses: [])],
                ports: []
            )
        ),
        (
            #"{"metadata":{"name":"a","namespace":"b"},"endpoints":[{"conditions":{"ready":null},"targetRef":{}}],"#
                + #""ports":[{"port":80.0},{"port":8e1}]}"#,
            EndpointSlice(
                metadata: .init(name: "a", namespace: "b"),
                addressType: nil,
                endpoints: [.init(addresses: [], conditions: .init(), targetRef: .init(kind: nil, name: nil))],
                ports: [.init(name: nil, port: 80, protocol: nil), .init(name: nil, port: 80, protocol: nil)]
            )
        ),
        // A key given twice: the last value counts.
        (
            #"{"metadata":{"name":"a","namespace":"b"},"#
                + #""metadata":{"name":"c","namespace":"d","labels":{"k":"1","k":"2"}},"#
                + #""endpoints":[{"addresses":["10.0.0.1"]}],"#
                + #""endpoints":[{"addresses":["10.0.0.2"],"addresses":null}]}"#,
            EndpointSlice(
                metadata: .init(name: "c", namespace: "d", labels: ["k": "2"]),
                addressType: nil,
                endpoints: [.init(addresses: [])],
                ports: []
            )
        ),
    ])
    func decodesOddShapes(slice: String, expected: EndpointSlice) throws {
        #expect(try Self.decodeSlice(slice) == expected)
        #expect(try WatchEvent.decode(Data(#"{"type":"MODIFIED","object":\#(slice)}"#.utf8)) == .modified(expected))
        // The type may come after the object.
        #expect(try WatchEvent.decode(Data(#"{"object":\#(slice),"type":"DELETED"}"#.utf8)) == .deleted(expected))
        let page = try EndpointSliceList.decode(Data(#"{"metadata":{"continue":""},"items":[\#(slice)]}"#.utf8))
        #expect(page.metadata.continue == "")
    }

    @Test(arguments: [
        #"{"metadata":{"name":null,"namespace":"b"}}"#,
        #"{"metadata":{"name":"a"}}"#,
        #"{"metadata":{"name":"a","namespace":"b"},"endpoints":{}}"#,
        #"{"metadata":{"name":"a","namespace":"b"},"endpoints":[{"addresses":[null]}]}"#,
        #"{"metadata":{"name":"a","namespace":"b","labels":{"x":1}}}"#,
        #"{"metadata":{"name":"a","namespace":"b"},"ports":[{"port":"80"}]}"#,
        #"{"metadata":{"name":"a","namespace":"b"},"ports":[{"port":80.5}]}"#,
        #"{"metadata":{"name":"a","namespace":"b"},"endpoints":[{"conditions":{"ready":"true"}}]}"#,
        "null",
    ])
    func rejectsWrongShapes(slice: String) throws {
        #expect(throws: WatchEvent.DecodingError.self) {
            try WatchEvent.decode(Data(#"{"type":"ADDED","object":\#(slice)}"#.utf8))
        }
        #expect(throws: JSONReader.Failure.self) {
            try EndpointSliceList.decode(Data(#"{"metadata":{},"items":[\#(slice)]}"#.utf8))
        }
    }

    /// The list page is read as Pod and ReplicaSet pages are: fields of a `metadata` given twice add up.
    @Test func aListPageMetadataGivenTwiceAddsUp() throws {
        let page = try EndpointSliceList.decode(
            Data(#"{"metadata":{"resourceVersion":"1"},"items":null,"metadata":{"continue":"c"}}"#.utf8)
        )
        #expect(page.metadata.resourceVersion == "1")
        #expect(page.metadata.continue == "c")
        #expect(page.items.isEmpty)
    }

    @Test func anErrorEventWhoseStatusIsMalformedIsRejected() {
        #expect(throws: WatchEvent.DecodingError.self) {
            try WatchEvent.decode(Data(#"{"type":"ERROR","object":{"code":"410"}}"#.utf8))
        }
    }

    @Test func malformedJSONIsNotAnEnvelopeAndAWrongShapeNamesTheType() {
        let truncated = #"{"type":"ADDED","object":{"metadata":{"name":"a","namespace":"b"}}"#
        #expect(throws: WatchEvent.DecodingError.self) { try WatchEvent.decode(Data(truncated.utf8)) }
        do {
            _ = try WatchEvent.decode(Data(truncated.utf8))
        } catch {
            #expect(error.reason == "not a watch event envelope")
        }
        do {
            _ = try WatchEvent.decode(Data(#"{"type":"ADDED","object":{"metadata":1}}"#.utf8))
        } catch {
            #expect(error.reason == "ADDED object does not decode")
        }
        do {
            _ = try WatchEvent.decode(Data(#"{"type":"BOOKMARK","object":{"metadata":{"resourceVersion":""}}}"#.utf8))
        } catch {
            #expect(error.reason == "bookmark without resourceVersion")
        }
    }

    @Test func statusDecodesWithTheReader() throws {
        let status = try KubernetesStatus.decode(Data(#"{"kind":"Status","message":"gone","code":410}"#.utf8))
        #expect(status == KubernetesStatus(status: nil, message: "gone", reason: nil, code: 410))
    }
}
