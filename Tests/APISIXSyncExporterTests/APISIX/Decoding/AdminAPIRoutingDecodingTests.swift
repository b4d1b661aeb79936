import Foundation
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// Routes and services from the Admin API: upstream references, inline upstreams and traffic-split.
@Suite struct AdminAPIRoutingDecodingTests {
    @Test func v3RouteListWithEveryUpstreamForm() throws {
        let body = """
            {"total":4,"list":[
              {"key":"/apisix/routes/1","value":{"id":"1","name":"by-id","uri":"/a","upstream_id":"u1"},
               "createdIndex":1,"modifiedIndex":11},
              {"key":"/apisix/routes/2","value":{"id":2,"uri":"/b","upstream":{"type":"roundrobin",
               "nodes":{"10.0.0.1:8080":1,"10.0.0.2:8080":1}}},"createdIndex":2,"modifiedIndex":12},
              {"key":"/apisix/routes/3","value":{"id":"3","uri":"/c","service_id":7,"status":0,
               "upstream":{"scheme":"https","nodes":[{"host":"backend.example","weight":1}]}},"modifiedIndex":13},
              {"key":"/apisix/routes/4","value":{"id":"4","uri":"/d","upstream":{"discovery_type":"kubernetes",
               "service_name":"shop/web:http","type":"roundrobin"}},"modifiedIndex":14}
            ]}
            """
        let listing = try AdminAPIDecoder.decodeRouteList(Data(body.utf8))
        #expect(listing.envelope == .v3)
        let routes = listing.items
        #expect(routes.map(\.id) == ["1", "2", "3", "4"])
        #expect(routes[0] == APISIXRoute(id: "1", name: "by-id", upstreamID: "u1", modifiedIndex: 11))
        #expect(routes[1].upstream == APISIXInlineUpstream(nodes: nodes("10.0.0.1", "10.0.0.2")))
        #expect(routes[2].serviceID == "7")
        #expect(routes[2].isEnabled == false)
        #expect(routes[2].upstream?.nodes == [NodeAddress(host: "backend.example", port: 443)])
        #expect(routes[3].upstream?.nodes == nil)
        #expect(routes[3].upstream?.discovery == .init(type: "kubernetes", serviceName: "shop/web:http"))
        #expect(routes.map(\.modifiedIndex) == [11, 12, 13, 14])
    }

    @Test func trafficSplitUpstreamIDs() throws {
        let body = """
            {"key":"/apisix/routes/r","value":{"id":"r","upstream_id":"main","plugins":{"limit-count":{"count":2},
             "traffic-split":{"rules":[
               {"match":[{"vars":[["arg_x","==","1"]]}],"weighted_upstreams":[{"upstream_id":"canary","weight":1},
                {"weight":3}]},
               {"weighted_upstreams":[{"upstream_id":42,"weight":1},{"upstream_id":"canary","weight":1},
                {"upstream":{"nodes":{"10.9.9.9:80":1}},"weight":1}]},
               {"weighted_upstreams":{}}]}}},"modifiedIndex":3}
            """
        let route = try AdminAPIDecoder.decodeRoute(Data(body.utf8))
        #expect(route.upstreamID == "main")
        #expect(route.trafficSplitUpstreamIDs == ["canary", "42"])
    }

    @Test(
        arguments: [
            ("{\"plugins\":{}}", nil), ("{\"plugins\":{\"traffic-split\":{}}}", []),
            ("{\"plugins\":{\"traffic-split\":{\"rules\":{}}}}", []), ("{\"plugins\":null}", nil),
        ] as [(String, [String]?)]
    )
    func trafficSplitAbsentOrEmpty(plugins: String, expected: [String]?) throws {
        let value = plugins.dropFirst().dropLast()
        let body = "{\"key\":\"/apisix/routes/r\",\"value\":{\"id\":\"r\",\(value)}}"
        #expect(try AdminAPIDecoder.decodeRoute(Data(body.utf8)).trafficSplitUpstreamIDs == expected)
    }

    @Test func v2ServiceListAndSingle() throws {
        let list = """
            {"action":"get","count":2,"node":{"dir":true,"key":"/apisix/services","nodes":[
              {"key":"/apisix/services/s1","value":{"id":"s1","name":"shop_web_0","upstream":{"nodes":
               [{"host":"10.0.1.1","port":8099,"weight":1}],"type":"roundrobin"}},"createdIndex":5,"modifiedIndex":6},
              {"key":"/apisix/services/s2","value":{"id":"s2","upstream_id":"s2","upstream":{}},"modifiedIndex":7}]}}
            """
        let listing = try AdminAPIDecoder.decodeServiceList(Data(list.utf8))
        #expect(listing.envelope == .v2)
        #expect(
            listing.items == [
                APISIXService(
                    id: "s1",
                    name: "shop_web_0",
                    upstream: APISIXInlineUpstream(nodes: nodes("10.0.1.1", port: 8099)),
                    modifiedIndex: 6
                ),
                APISIXService(id: "s2", upstreamID: "s2", modifiedIndex: 7),
            ]
        )
        let single = """
            {"action":"get","node":{"key":"/apisix/services/1","value":{"id":"1","upstream":{"nodes":
             {"127.0.0.1:8080":1},"type":"roundrobin"}}}}
            """
        let service = try AdminAPIDecoder.decodeService(Data(single.utf8))
        #expect(service == APISIXService(id: "1", upstream: APISIXInlineUpstream(nodes: nodes("127.0.0.1"))))
    }

    @Test(arguments: ["{}", "[]", "null"])
    func inlineEmptyNodeFormsMeanNoNodes(nodesJSON: String) throws {
        let body = "{\"key\":\"/apisix/routes/r\",\"value\":{\"id\":\"r\",\"upstream\":{\"nodes\":\(nodesJSON)}}}"
        #expect(try AdminAPIDecoder.decodeRoute(Data(body.utf8)).upstream?.nodes == [])
    }

    @Test func inlineUpstreamNullOrEmptyObjectIsAbsent() throws {
        for inline in ["null", "{}"] {
            let body = "{\"key\":\"/apisix/routes/r\",\"value\":{\"id\":\"r\",\"upstream\":\(inline)}}"
            #expect(try AdminAPIDecoder.decodeRoute(Data(body.utf8)).upstream == nil)
        }
    }

    @Test func unchangedRoutesAndServicesAreReused() throws {
        func routes(_ revision: Int, _ upstream: String) -> Data {
            Data(
                ("{\"list\":[{\"key\":\"/apisix/routes/r\",\"value\":{\"id\":\"r\",\"upstream_id\":\"\(upstream)\"},"
                    + "\"modifiedIndex\":\(revision)}],\"total\":1}").utf8
            )
        }
        var previous = ["r": try AdminAPIDecoder.decodeRouteList(routes(5, "a")).items[0]]
        previous["r"]?.name = "reused"
        #expect(try AdminAPIDecoder.decodeRouteList(routes(5, "a"), reusing: previous).items[0].name == "reused")
        let changed = try AdminAPIDecoder.decodeRouteList(routes(6, "b"), reusing: previous).items[0]
        #expect(changed == APISIXRoute(id: "r", upstreamID: "b", modifiedIndex: 6))

        let services = Data(
            "{\"list\":[{\"key\":\"/apisix/services/s\",\"value\":{\"id\":\"s\"},\"modifiedIndex\":8}]}".utf8
        )
        let marker = APISIXService(id: "s", name: "reused", modifiedIndex: 8)
        #expect(try AdminAPIDecoder.decodeServiceList(services, reusing: ["s": marker]).items == [marker])
    }

    @Test(arguments: [
        ("{\"list\":[{\"key\":\"/apisix/routes/r\",\"value\":{\"id\":\"r\",\"upstream_id\":{}}}]}", "upstream_id"),
        ("{\"list\":[{\"key\":\"/apisix/routes/r\",\"value\":{\"id\":\"r\",\"service_id\":[1]}}]}", "service_id"),
        ("{\"list\":[{\"key\":\"/apisix/routes/r\",\"value\":{\"id\":\"r\",\"upstream\":[]}}]}", "upstream is not"),
        ("{\"list\":[{\"key\":\"/apisix/routes/r\",\"value\":{\"id\":\"r\",\"plugins\":[]}}]}", "plugins"),
        (
            "{\"list\":[{\"value\":{\"id\":\"r\",\"plugins\":{\"traffic-split\":{\"rules\":[{\"weighted_upstreams\":[1]}]}}}}]}",
            "weighted upstream"
        ),
        ("{\"list\":[{\"value\":{\"id\":\"r\",\"upstream\":{\"nodes\":{\"nohost\":1}}}}]}", "not host:port"),
        ("{\"list\":[{\"value\":{\"uri\":\"/\"}}]}", "route without id"),
        ("{\"list\":[{\"key\":\"/apisix/routes/r\",\"value\":{\"id\":\"r\",\"upstream_id\":1.5}}]}", "integer"),
        ("<html><body>502 Bad Gateway</body></html>", "HTML error page"),
    ])
    func malformedRoutesAreRejected(body: String, expected: String) {
        let error = #expect(throws: APISIXDecodingError.self) { try AdminAPIDecoder.decodeRouteList(Data(body.utf8)) }
        #expect(error?.reason.contains(expected) == true, "\(error?.reason ?? "no error")")
    }

    @Test func wrongTypesOfUnusedFieldsAreIgnored() throws {
        let body = """
            {"key":"/apisix/routes/r","value":{"id":"r","name":7,"status":"on","uri":"/","plugins":{"x":[1]}}}
            """
        #expect(try AdminAPIDecoder.decodeRoute(Data(body.utf8)) == APISIXRoute(id: "r"))
    }
}
