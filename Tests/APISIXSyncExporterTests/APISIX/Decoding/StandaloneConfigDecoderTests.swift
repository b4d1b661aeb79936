import Foundation
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// `GET /apisix/admin/configs` of API-driven standalone mode.
@Suite struct StandaloneConfigDecoderTests {
    static let config = """
        {"X-Last-Modified":1757000001,"X-Digest":"0123abcd","ssls":[{"id":"x","cert":"-----BEGIN","key":"secret"}],
         "routes_conf_version":1757000000111,"services_conf_version":1757000000111,"upstreams_conf_version":1757000000111,
         "consumers_conf_version":0,"stream_routes_conf_version":0,
         "routes":[{"modifiedIndex":1757000000111,"id":"r1","name":"shop_web_0-0","uris":["/"],"service_id":"s1",
           "status":1}],
         "services":[{"modifiedIndex":1757000000111,"id":"s1","name":"shop_web_0","upstream_id":"s1",
           "plugins":{"traffic-split":{"rules":[{"weighted_upstreams":[{"weight":1},{"upstream_id":"x2","weight":1}]}]}}}],
         "upstreams":[
           {"modifiedIndex":1757000000111,"id":"s1","name":"shop_web_0","type":"roundrobin",
            "nodes":[{"host":"10.2.0.1","port":8080,"weight":1},{"host":"10.2.0.2","port":8080,"weight":1}]},
           {"id":"x2","name":"Service_shop_api_80","nodes":{}}]}
        """

    @Test func decodesRoutingObjectsAndVersions() throws {
        let config = try StandaloneConfigDecoder.decode(Data(Self.config.utf8))
        #expect(config.lastModified == 1_757_000_001)
        #expect(config.digest == "0123abcd")
        #expect(
            config.confVersions == [
                "routes": 1_757_000_000_111, "services": 1_757_000_000_111, "upstreams": 1_757_000_000_111,
                "consumers": 0, "stream_routes": 0,
            ]
        )
        #expect(
            config.routes == [
                APISIXRoute(id: "r1", name: "shop_web_0-0", serviceID: "s1", modifiedIndex: 1_757_000_000_111)
            ]
        )
        #expect(
            config.services == [
                APISIXService(
                    id: "s1",
                    name: "shop_web_0",
                    upstreamID: "s1",
                    trafficSplitUpstreamIDs: ["x2"],
                    modifiedIndex: 1_757_000_000_111
                )
            ]
        )
        #expect(config.upstreams.map(\.id) == ["s1", "x2"])
        #expect(config.upstreams[0].nodes == nodes("10.2.0.1", "10.2.0.2"))
        #expect(config.upstreams[0].modifiedIndex == 1_757_000_000_111)
        #expect(config.upstreams[1] == APISIXUpstream(id: "x2", name: "Service_shop_api_80", nodes: []))
    }

    @Test func secretsOfOtherResourceTypesAreNotKept() throws {
        let config = try StandaloneConfigDecoder.decode(Data(Self.config.utf8))
        #expect(!String(reflecting: config).contains("secret"))
    }

    @Test func neverConfiguredConfigIsEmpty() throws {
        let body = """
            {"consumer_groups_conf_version":0,"consumers_conf_version":0,"global_rules_conf_version":0,
             "routes_conf_version":0,"services_conf_version":0,"upstreams_conf_version":0}
            """
        let config = try StandaloneConfigDecoder.decode(Data(body.utf8))
        #expect(config.upstreams.isEmpty && config.routes.isEmpty && config.services.isEmpty)
        #expect(config.confVersions["upstreams"] == 0)
        #expect(config.lastModified == nil && config.digest == nil)
    }

    @Test(arguments: ["{}", "[]", "null"])
    func emptyItemListsInEveryEncoding(list: String) throws {
        let body = "{\"upstreams\":\(list),\"routes\":\(list),\"services\":\(list),\"upstreams_conf_version\":3}"
        let config = try StandaloneConfigDecoder.decode(Data(body.utf8))
        #expect(config.upstreams.isEmpty && config.routes.isEmpty && config.services.isEmpty)
    }

    @Test func unchangedItemsAreReused() throws {
        let first = try StandaloneConfigDecoder.decode(Data(Self.config.utf8))
        var previous = first
        previous.upstreams[0].name = "reused"
        previous.upstreams[1].name = "not reused without modifiedIndex"
        previous.routes[0].name = "reused"
        previous.services[0].name = "reused"
        let second = try StandaloneConfigDecoder.decode(Data(Self.config.utf8), reusing: previous)
        #expect(second.upstreams.map(\.name) == ["reused", "Service_shop_api_80"])
        #expect(second.routes[0].name == "reused")
        #expect(second.services[0].name == "reused")

        let changed = Self.config.replacingOccurrences(
            of: "\"modifiedIndex\":1757000000111,\"id\":\"s1\",\"name\":\"shop_web_0\",\"type\"",
            with: "\"modifiedIndex\":1757000000999,\"id\":\"s1\",\"name\":\"shop_web_0\",\"type\""
        )
        let third = try StandaloneConfigDecoder.decode(Data(changed.utf8), reusing: previous)
        #expect(third.upstreams[0].name == "shop_web_0")
        #expect(third.upstreams[0].modifiedIndex == 1_757_000_000_999)
    }

    @Test func reuseStillValidatesTheItem() {
        let broken = "{\"upstreams\":[{\"id\":\"a\",\"modifiedIndex\":5,\"nodes\":{\"x\":}}]}"
        let previous = APISIXStandaloneConfig(upstreams: [APISIXUpstream(id: "a", nodes: [], modifiedIndex: 5)])
        #expect(throws: APISIXDecodingError.self) {
            try StandaloneConfigDecoder.decode(Data(broken.utf8), reusing: previous)
        }
    }

    @Test(arguments: [
        ("{\"error_msg\":\"Unsupported resource type: configs\"}", "etcd mode"),
        ("{\"error_msg\":\"not found\"}", "etcd mode"),
        ("<html><head><title>404 Not Found</title></head></html>", "HTML error page"),
        ("{\"list\":[],\"total\":0}", "JSON object with keys list, total"),
        ("[]", "JSON array"),
        ("{\"upstreams\":[{\"name\":\"no id\",\"nodes\":{}}]}", "upstream without id"),
        ("{\"routes\":[{\"id\":\"r\",\"upstream_id\":true}]}", "upstream_id"),
        ("{\"upstreams_conf_version\":\"1\"}", "is not a number"),
        ("{\"upstreams_conf_version\":1,\"upstreams\":[", "unexpected end of document"),
    ])
    func rejectsBodiesThatAreNoStandaloneConfig(body: String, expected: String) {
        let error = #expect(throws: APISIXDecodingError.self) { try StandaloneConfigDecoder.decode(Data(body.utf8)) }
        #expect(error?.api == .standaloneConfig)
        #expect(error?.reason.contains(expected) == true, "\(error?.reason ?? "no error")")
    }
}
