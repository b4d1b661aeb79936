import Foundation
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// Admin API v3 bodies shaped like APISIX's own test expectations.
@Suite struct AdminAPIDecoderTests {
    @Test func decodesAV3ListWithArrayAndHashNodes() throws {
        let body = """
            {"list":[
              {"key":"/apisix/upstreams/1","value":{"id":"1","nodes":[{"host":"10.2.0.1","port":8080,"weight":100,
                "priority":0},{"host":"10.2.0.2","port":8080,"weight":100}],"type":"roundrobin",
                "create_time":1700000000,"update_time":1700000123},"createdIndex":10,"modifiedIndex":12},
              {"key":"/apisix/upstreams/2","value":{"id":2,"nodes":{"10.2.1.5:9000":1,"[fd00::5]:9000":1},
                "type":"roundrobin"},"createdIndex":13,"modifiedIndex":13}
            ],"total":2}
            """
        let upstreams = try AdminAPIDecoder.decodeUpstreamList(Data(body.utf8))
        #expect(upstreams.map(\.id) == ["1", "2"])
        #expect(upstreams[0].nodes == nodes("10.2.0.1", "10.2.0.2"))
        #expect(
            upstreams[1].nodes == [NodeAddress(host: "10.2.1.5", port: 9000), NodeAddress(host: "fd00::5", port: 9000)]
        )
    }

    @Test(arguments: ["{}", "[]", "null"])
    func emptyNodeFormsMeanNoNodes(nodesJSON: String) throws {
        let body = "{\"key\":\"/apisix/upstreams/x\",\"value\":{\"id\":\"x\",\"nodes\":\(nodesJSON)}}"
        #expect(try AdminAPIDecoder.decodeUpstream(Data(body.utf8)).nodes == [])
    }

    @Test func emptyListInBothEncodings() throws {
        #expect(try AdminAPIDecoder.decodeUpstreamList(Data("{\"list\":[],\"total\":0}".utf8)).isEmpty)
        #expect(try AdminAPIDecoder.decodeUpstreamList(Data("{\"list\":{},\"total\":0}".utf8)).isEmpty)
    }

    @Test func discoveryUpstreamsHaveNoNodes() throws {
        let body = """
            {"key":"/apisix/upstreams/k8s","value":{"id":"k8s","service_name":"shop/web:http",
             "discovery_type":"kubernetes","type":"roundrobin"},"createdIndex":40,"modifiedIndex":40}
            """
        let upstream = try AdminAPIDecoder.decodeUpstream(Data(body.utf8))
        #expect(upstream.nodes == nil)
        #expect(upstream.discovery == .init(type: "kubernetes", serviceName: "shop/web:http"))
    }

    @Test func aSingleUpstreamWithAnUnchangedModifiedIndexIsReused() throws {
        let body = #"{"key":"/apisix/upstreams/k8s","value":{"id":"k8s","nodes":[]},"modifiedIndex":40}"#
        var previous = try AdminAPIDecoder.decodeUpstream(Data(body.utf8))
        previous.name = "reused"
        #expect(try AdminAPIDecoder.decodeUpstream(Data(body.utf8), reusing: ["k8s": previous]).name == "reused")
        let changed = body.replacingOccurrences(of: "40", with: "41")
        #expect(try AdminAPIDecoder.decodeUpstream(Data(changed.utf8), reusing: ["k8s": previous]).name == nil)
    }

    @Test func arrayNodeWithoutPortUsesTheSchemeDefault() throws {
        let body =
            "{\"value\":{\"id\":\"d\",\"scheme\":\"https\",\"nodes\":[{\"host\":\"backend.example\",\"weight\":1}]}}"
        #expect(
            try AdminAPIDecoder.decodeUpstream(Data(body.utf8)).nodes == [
                NodeAddress(host: "backend.example", port: 443)
            ]
        )
    }

    @Test(arguments: [
        "<html><body>502 Bad Gateway</body></html>",
        "{\"list\":[{\"key\":\"/apisix/upstreams/1\",\"value\":{\"id\":\"1\"",
        "{\"action\":\"get\",\"node\":{}}", "{\"list\":[{\"value\":{\"id\":\"1\",\"nodes\":{\"nohost\":1}}}]}",
        "{\"list\":[{\"value\":{\"id\":\"1\",\"nodes\":\"10.0.0.1:80\"}}]}", "[]",
    ])
    func rejectsBodiesThatAreNotUpstreamLists(body: String) {
        #expect(throws: AdminAPIDecoder.DecodingError.self) { try AdminAPIDecoder.decodeUpstreamList(Data(body.utf8)) }
    }

    @Test func targetsAreNamedHostPort() {
        #expect(
            APISIXTarget(adminURL: "http://apisix-admin.ingress-apisix:9180/")?.name
                == "apisix-admin.ingress-apisix:9180"
        )
        #expect(APISIXTarget(adminURL: "https://apisix.example")?.name == "apisix.example:443")
        #expect(APISIXTarget(adminURL: "http://[fd00::1]:9180")?.name == "[fd00::1]:9180")
        #expect(APISIXTarget(adminURL: "ftp://x") == nil)
        #expect(APISIXTarget(adminURL: "http://user:secret@x:9180") == nil)
    }
}

@Suite struct AdminAPIDecoderReuseTests {
    func list(_ items: [(id: String, modifiedIndex: Int, ip: String)]) -> Data {
        let body = items.map {
            "{\"key\":\"/apisix/upstreams/\($0.id)\",\"value\":{\"id\":\"\($0.id)\",\"nodes\":{\"\($0.ip):80\":1}},"
                + "\"createdIndex\":1,\"modifiedIndex\":\($0.modifiedIndex)}"
        }
        return Data("{\"list\":[\(body.joined(separator: ","))],\"total\":\(items.count)}".utf8)
    }

    @Test func unchangedModifiedIndexReusesThePreviousUpstream() throws {
        let first = try AdminAPIDecoder.decodeUpstreamList(list([("a", 5, "10.0.0.1"), ("b", 6, "10.0.0.2")]))
        #expect(first.map(\.modifiedIndex) == [5, 6])
        // A reused upstream is taken as it was: the marker name proves the value was not decoded again.
        var previous = Dictionary(uniqueKeysWithValues: first.map { ($0.id, $0) })
        previous["a"]?.name = "reused"
        previous["b"]?.name = "reused"
        let second = try AdminAPIDecoder.decodeUpstreamList(
            list([("a", 5, "10.0.0.1"), ("b", 9, "10.0.0.9")]),
            reusing: previous
        )
        #expect(second[0].name == "reused")
        #expect(second[1].name == nil)
        #expect(second[1].nodes == [NodeAddress(host: "10.0.0.9", port: 80)])
        #expect(second[1].modifiedIndex == 9)
    }

    @Test func reuseStillValidatesTheSkippedValue() {
        let broken = Data(
            "{\"list\":[{\"key\":\"/apisix/upstreams/a\",\"value\":{\"id\":\"a\",\"nodes\":{\"x\":},\"modifiedIndex\":5}]}"
                .utf8
        )
        let previous = ["a": APISIXUpstream(id: "a", nodes: [], modifiedIndex: 5)]
        #expect(throws: AdminAPIDecoder.DecodingError.self) {
            try AdminAPIDecoder.decodeUpstreamList(broken, reusing: previous)
        }
    }

    @Test(arguments: [
        "{\"list\":[{\"key\":\"/apisix/upstreams/1\",\"value\":{\"id\":\"1\",\"nodes\":[{\"host\":\"\",\"port\":80}]}}]}",
        "{\"list\":[{\"key\":\"/apisix/upstreams/1\",\"value\":{\"id\":\"1\",\"nodes\":[{\"host\":\"a\",\"port\":70000}]}}]}",
        "{\"list\":[{\"key\":\"/apisix/upstreams/1\",\"value\":{\"id\":\"1\",\"nodes\":[{\"port\":80}]}}]}",
        "{\"list\":[{\"key\":\"/apisix/upstreams/1\",\"value\":[]}]}", "{\"list\":[1]}", "{\"list\":\"x\"}",
        "{\"list\":[]} trailing", "{\"total\":0}",
    ])
    func rejectsMalformedItems(body: String) {
        #expect(throws: AdminAPIDecoder.DecodingError.self) { try AdminAPIDecoder.decodeUpstreamList(Data(body.utf8)) }
    }
}
