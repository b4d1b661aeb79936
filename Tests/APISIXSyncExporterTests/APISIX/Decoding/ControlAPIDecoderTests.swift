import Foundation
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// The Control API's `/v1/upstreams` and `/v1/upstream/{id}`: the data-plane view of one worker.
@Suite struct ControlAPIDecoderTests {
    @Test func etcdAndStandaloneItemShapes() throws {
        let body = """
            [
              {"key":"/apisix/upstreams/e1","value":{"id":"e1","name":"shop_web_80","type":"roundrobin",
                "nodes":[{"host":"10.3.0.1","port":8080,"weight":100}],"resource_key":"/apisix/upstreams/e1",
                "resource_version":20,"resource_id":"e1"},"createdIndex":10,"modifiedIndex":20,"has_domain":false},
              {"key":"/upstreams/s1","modifiedIndex":1757000000111,"value":{"modifiedIndex":1757000000111,"id":"s1",
                "nodes":[{"host":"10.3.0.2","port":8080,"weight":1}]},"has_domain":false},
              {"key":"/apisix/upstreams/h","value":{"id":"h","nodes":{"10.3.0.3:80":1}},"modifiedIndex":3},
              {"key":"/apisix/upstreams/d","value":{"id":"d","discovery_type":"kubernetes",
                "service_name":"shop/web:http","nodes":[{"host":"10.3.0.9","port":8080,"weight":50}]},
                "modifiedIndex":4}
            ]
            """
        let upstreams = try ControlAPIDecoder.decodeUpstreams(Data(body.utf8))
        #expect(
            upstreams == [
                APISIXUpstream(id: "e1", name: "shop_web_80", nodes: nodes("10.3.0.1"), modifiedIndex: 20),
                APISIXUpstream(id: "s1", nodes: nodes("10.3.0.2"), modifiedIndex: 1_757_000_000_111),
                APISIXUpstream(id: "h", nodes: nodes("10.3.0.3", port: 80), modifiedIndex: 3),
                APISIXUpstream(
                    id: "d",
                    nodes: nil,
                    discovery: .init(type: "kubernetes", serviceName: "shop/web:http"),
                    modifiedIndex: 4
                ),
            ]
        )
    }

    @Test func routesAndServicesWithInlineUpstreams() throws {
        let routes = """
            [{"key":"/apisix/routes/r1","value":{"id":"r1","uri":"/","service_id":"s1",
              "upstream":{"nodes":[{"host":"10.3.0.1","port":8080,"weight":1}]}},"modifiedIndex":5},
             {"key":"/routes/r2","value":{"id":"r2","uri":"/b","upstream_id":"u2"},"modifiedIndex":6}]
            """
        let decodedRoutes = try ControlAPIDecoder.decodeRoutes(Data(routes.utf8))
        #expect(decodedRoutes.map(\.id) == ["r1", "r2"])
        #expect(decodedRoutes[0].upstream?.nodes == nodes("10.3.0.1"))
        #expect(decodedRoutes[0].serviceID == "s1")
        #expect(decodedRoutes[1].upstreamID == "u2")
        let services = "[{\"key\":\"/apisix/services/s1\",\"value\":{\"id\":\"s1\",\"upstream_id\":\"u1\"}}]"
        #expect(try ControlAPIDecoder.decodeServices(Data(services.utf8)).map(\.upstreamID) == ["u1"])
        #expect(try ControlAPIDecoder.decodeRoutes(Data("{}".utf8)).isEmpty)
        #expect(throws: APISIXDecodingError.self) { try ControlAPIDecoder.decodeServices(Data("{\"list\":[]}".utf8)) }
    }

    @Test func itemWithoutIDInTheValueUsesTheKey() throws {
        let body = "[{\"key\":\"/upstreams/k9\",\"modifiedIndex\":2,\"value\":{\"nodes\":[]}}]"
        #expect(
            try ControlAPIDecoder.decodeUpstreams(Data(body.utf8)) == [
                APISIXUpstream(id: "k9", nodes: [], modifiedIndex: 2)
            ]
        )
    }

    @Test(arguments: ["[]", "{}", " [ ] "])
    func emptyLists(body: String) throws {
        #expect(try ControlAPIDecoder.decodeUpstreams(Data(body.utf8)).isEmpty)
    }

    @Test func singleUpstream() throws {
        let body = """
            {"value":{"scheme":"http","nodes":[{"host":"127.0.0.1","port":80,"weight":1},
             {"host":"foo.example","port":80,"weight":2}],"id":"1","type":"chash"},"has_domain":true,
             "key":"\\/apisix\\/upstreams\\/1","createdIndex":938,"modifiedIndex":1225}
            """
        let upstream = try ControlAPIDecoder.decodeUpstream(Data(body.utf8))
        #expect(upstream.id == "1")
        #expect(upstream.modifiedIndex == 1225)
        #expect(
            upstream.nodes == [NodeAddress(host: "127.0.0.1", port: 80), NodeAddress(host: "foo.example", port: 80)]
        )
    }

    @Test func unchangedUpstreamsAreReused() throws {
        let body = "[{\"key\":\"/upstreams/a\",\"modifiedIndex\":7,\"value\":{\"id\":\"a\",\"nodes\":[]}}]"
        let marker = APISIXUpstream(id: "a", name: "reused", nodes: [], modifiedIndex: 7)
        #expect(try ControlAPIDecoder.decodeUpstreams(Data(body.utf8), reusing: ["a": marker]) == [marker])
    }

    @Test(arguments: [
        ("{\"list\":[],\"total\":0}", "JSON object with keys list, total"),
        ("{\"error_msg\":\"upstream[9] not found\"}", "upstream[9] not found"),
        ("<html><title>502 Bad Gateway</title></html>", "HTML error page (502 Bad Gateway)"),
        ("[1]", "upstream item is not an object"),
        ("[{\"key\":\"/upstreams/a\"}]", "without \"value\""),
        ("[{\"key\":\"/upstreams/a\",\"value\":{\"id\":\"a\",\"nodes\":\"10.0.0.1:80\"}}]", "neither an object nor"),
        ("[{\"key\":\"/upstreams/a\",\"value\":{\"id\":\"a\"}}", "unexpected end of document"),
    ])
    func rejectsBodiesThatAreNoUpstreamList(body: String, expected: String) {
        let error = #expect(throws: APISIXDecodingError.self) { try ControlAPIDecoder.decodeUpstreams(Data(body.utf8)) }
        #expect(error?.api == .controlAPI)
        #expect(error?.reason.contains(expected) == true, "\(error?.reason ?? "no error")")
    }

    @Test(arguments: ["[]", "{\"error_msg\":\"upstream[9] not found\"}", "{}", "{\"key\":\"/upstreams/a\"}"])
    func rejectsBodiesThatAreNoSingleUpstream(body: String) {
        #expect(throws: APISIXDecodingError.self) { try ControlAPIDecoder.decodeUpstream(Data(body.utf8)) }
    }
}
