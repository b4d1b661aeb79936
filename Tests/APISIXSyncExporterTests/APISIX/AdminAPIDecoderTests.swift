import Foundation
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
        #expect(APISIXTarget(adminURL: "ftp://x") == nil)
        #expect(APISIXTarget(adminURL: "http://user:secret@x:9180") == nil)
    }
}
