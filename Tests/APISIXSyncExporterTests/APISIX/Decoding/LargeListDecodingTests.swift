import Foundation
import Testing

@testable import APISIXSyncExporter

/// Lists of 10,000 objects decode cheaply, also when reusing unchanged ones.
@Suite struct LargeListDecodingTests {
    static let count = 10_000

    static let routes: Data = {
        let items = (0..<count).map { index in
            "{\"key\":\"/apisix/routes/r\(index)\",\"value\":{\"id\":\"r\(index)\",\"uri\":\"/p\(index)\","
                + "\"service_id\":\"s\(index % 50)\",\"upstream\":{\"type\":\"roundrobin\",\"nodes\":"
                + "[{\"host\":\"10.8.\(index / 250).\(index % 250)\",\"port\":8080,\"weight\":1}]},"
                + "\"plugins\":{\"traffic-split\":{\"rules\":[{\"weighted_upstreams\":[{\"upstream_id\":\"u\(index)\","
                + "\"weight\":1},{\"weight\":1}]}]}}},\"createdIndex\":\(index),\"modifiedIndex\":\(index)}"
        }
        return Data("{\"list\":[\(items.joined(separator: ","))],\"total\":\(count)}".utf8)
    }()

    static let config: Data = {
        let items = (0..<count).map { index in
            "{\"modifiedIndex\":\(index),\"id\":\"u\(index)\",\"name\":\"shop_web\(index)_0\",\"type\":\"roundrobin\","
                + "\"nodes\":[{\"host\":\"10.9.\(index / 250).\(index % 250)\",\"port\":8080,\"weight\":1}]}"
        }
        return Data("{\"upstreams_conf_version\":1,\"upstreams\":[\(items.joined(separator: ","))]}".utf8)
    }()

    @Test func tenThousandRoutes() throws {
        let clock = ContinuousClock()
        var first: [APISIXRoute] = []
        let full = try clock.measure { first = try AdminAPIDecoder.decodeRouteList(Self.routes).items }
        #expect(first.count == Self.count)
        #expect(first[7].trafficSplitUpstreamIDs == ["u7"])
        let previous = Dictionary(uniqueKeysWithValues: first.map { ($0.id, $0) })
        var second: [APISIXRoute] = []
        let reused = try clock.measure {
            second = try AdminAPIDecoder.decodeRouteList(Self.routes, reusing: previous).items
        }
        #expect(second == first)
        #expect(full < .seconds(3))
        #expect(reused < .seconds(3))
    }

    @Test func tenThousandStandaloneUpstreams() throws {
        let clock = ContinuousClock()
        var first = APISIXStandaloneConfig()
        let full = try clock.measure { first = try StandaloneConfigDecoder.decode(Self.config) }
        #expect(first.upstreams.count == Self.count)
        var second = APISIXStandaloneConfig()
        let reused = try clock.measure { second = try StandaloneConfigDecoder.decode(Self.config, reusing: first) }
        #expect(second == first)
        #expect(full < .seconds(3))
        #expect(reused < .seconds(3))
    }
}
