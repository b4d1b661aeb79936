import Foundation
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// `GET /v1/discovery/kubernetes/dump`: endpoints per Service, the port map as an embedded JSON string, and a
/// `config` that must never reach the model or an error.
@Suite struct KubernetesDiscoveryDumpDecoderTests {
    static let token = "tok-4f1b9c-never-shown"

    static let singleCluster = #"""
        {"config":{"service":{"schema":"https","host":"10.96.0.1","port":"443"},"client":{"token":"tok-4f1b9c-never-shown"},
          "default_weight":50,"shared_size":"1m"},
         "endpoints":[{"endpoints":[
           {"name":"shop/web","value":"{\"http\":[{\"host\":\"10.4.0.2\",\"port\":8080,\"weight\":50},{\"host\":\"10.4.0.1\",\"port\":8080,\"weight\":50}],\"metrics\":[{\"host\":\"10.4.0.1\",\"port\":9100,\"weight\":50}]}"},
           {"name":"shop/unnamed","value":"{\"8080\":[{\"host\":\"10.4.1.1\",\"port\":8080,\"weight\":50}]}"},
           {"value":"{}","name":"shop/idle"},
           {"name":"shop/empty-port","value":"{\"http\":{}}"}]}]}
        """#

    static let multiCluster = #"""
        {"endpoints":[
           {"id":"east","endpoints":[{"name":"shop/web","value":"{\"http\":[{\"host\":\"10.5.0.1\",\"port\":8080,\"weight\":50}]}"}]},
           {"id":"west","endpoints":[]}],
         "config":[{"id":"east","client":{"token":"tok-4f1b9c-never-shown"},"service":{"host":"a","port":"6443","schema":"https"}},
                   {"id":"west","client":{"token":"tok-4f1b9c-never-shown"},"service":{"host":"b","port":"6443","schema":"https"}}]}
        """#

    func name(_ text: String) throws -> APISIXKubernetesServiceName {
        try #require(APISIXKubernetesServiceName(parsing: text))
    }

    @Test func singleClusterDump() throws {
        let dump = try KubernetesDiscoveryDumpDecoder.decode(Data(Self.singleCluster.utf8))
        #expect(dump.clusters.count == 1)
        #expect(dump.clusters[0].id == nil)
        #expect(try dump.nodes(for: name("shop/web:http")) == nodes("10.4.0.1", "10.4.0.2"))
        #expect(try dump.nodes(for: name("shop/web:metrics")) == nodes("10.4.0.1", port: 9100))
        #expect(try dump.nodes(for: name("shop/unnamed:8080")) == nodes("10.4.1.1"))
        #expect(try dump.nodes(for: name("shop/idle:http")) == [])
        #expect(try dump.nodes(for: name("shop/empty-port:http")) == [])
        #expect(try dump.nodes(for: name("shop/missing:http")) == nil)
        #expect(try dump.nodes(for: name("east/shop/web:http")) == nil)
    }

    @Test func multiClusterDump() throws {
        let dump = try KubernetesDiscoveryDumpDecoder.decode(Data(Self.multiCluster.utf8))
        #expect(dump.clusters.map(\.id) == ["east", "west"])
        #expect(try dump.nodes(for: name("east/shop/web:http")) == nodes("10.5.0.1"))
        #expect(try dump.nodes(for: name("west/shop/web:http")) == nil)
        #expect(try dump.nodes(for: name("shop/web:http")) == nil)
    }

    @Test func theConfigAndItsTokenAreNotKept() throws {
        for body in [Self.singleCluster, Self.multiCluster] {
            let dump = try KubernetesDiscoveryDumpDecoder.decode(Data(body.utf8))
            #expect(!String(reflecting: dump).contains(Self.token))
            #expect(!String(describing: dump).contains("10.96.0.1"))
        }
    }

    /// Every way of breaking a dump that carries a token: the error never repeats it, nor anything else of the body.
    @Test(arguments: [
        "{\"config\":{\"client\":{\"token\":\"tok-4f1b9c-never-shown\"}}}",
        "{\"config\":{\"client\":{\"token\":\"tok-4f1b9c-never-shown\"}},\"endpoints\":[",
        "{\"error_msg\":\"tok-4f1b9c-never-shown\"}",
        "tok-4f1b9c-never-shown",
        "<html><title>tok-4f1b9c-never-shown</title></html>",
        "{\"config\":{\"token\":\"tok-4f1b9c-never-shown\"},\"endpoints\":[{\"endpoints\":[{\"name\":\"tok-4f1b9c-never-shown\",\"value\":\"{}\"}]}]}",
        "{\"config\":{\"token\":\"tok-4f1b9c-never-shown\"},\"endpoints\":[{\"endpoints\":[{\"name\":\"a/b\",\"value\":\"{\\\"tok-4f1b9c-never-shown\\\":[{\\\"host\\\":\\\"x\\\",\\\"port\\\":99999}]}\"}]}]}",
        "{\"tok-4f1b9c-never-shown\":1}",
        "[\"tok-4f1b9c-never-shown\"]",
    ])
    func errorsNeverQuoteTheBody(body: String) {
        let error = #expect(throws: APISIXDecodingError.self) {
            try KubernetesDiscoveryDumpDecoder.decode(Data(body.utf8))
        }
        #expect(error?.api == .kubernetesDiscoveryDump)
        #expect(error?.description.contains(Self.token) == false, "\(error?.description ?? "")")
        #expect(error?.description.contains("99999") == false)
    }

    @Test(arguments: [
        ("{\"endpoints\":[{\"endpoints\":[{\"name\":\"a/b\",\"value\":\"not json\"}]}]}", "not a port map"),
        ("{\"endpoints\":[{\"endpoints\":[{\"name\":\"a/b\",\"value\":{}}]}]}", "value is not a string"),
        ("{\"endpoints\":[{\"endpoints\":[{\"name\":\"ab\",\"value\":\"{}\"}]}]}", "not namespace/name"),
        ("{\"endpoints\":[{\"endpoints\":[{\"name\":\"a/b\"}]}]}", "without value"),
        (
            "{\"endpoints\":[{\"endpoints\":[{\"name\":\"a/b\",\"value\":\"{\\\"p\\\":[{\\\"host\\\":\\\"h\\\"}]}\"}]}]}",
            "without port"
        ),
        ("{\"endpoints\":7}", "\"endpoints\" is not an array"),
        ("{\"config\":{}}", "expected a discovery dump"),
    ])
    func malformedDumps(body: String, expected: String) {
        let error = #expect(throws: APISIXDecodingError.self) {
            try KubernetesDiscoveryDumpDecoder.decode(Data(body.utf8))
        }
        #expect(error?.reason.contains(expected) == true, "\(error?.reason ?? "no error")")
    }

    @Test(arguments: ["{\"endpoints\":[]}", "{\"endpoints\":{}}", "{\"endpoints\":[{\"endpoints\":{}}]}"])
    func emptyDumps(body: String) throws {
        let dump = try KubernetesDiscoveryDumpDecoder.decode(Data(body.utf8))
        #expect(dump.clusters.allSatisfy { $0.services.isEmpty })
    }
}

/// `service_name` of Kubernetes discovery upstreams.
@Suite struct APISIXKubernetesServiceNameTests {
    @Test func singleClusterForm() throws {
        let name = try #require(APISIXKubernetesServiceName(parsing: "shop/web:http"))
        #expect(name.clusterID == nil)
        #expect(name.service == ServiceKey(namespace: "shop", name: "web"))
        #expect(name.portName == "http")
        #expect(name.servicePortKey == ServicePortKey(namespace: "shop", service: "web", port: "http"))
        #expect(name.endpointPortNumber == nil)
        #expect(name.description == "shop/web:http")
    }

    @Test func multiClusterFormTakesEverythingBeforeTheLastTwoPartsAsTheID() throws {
        let name = try #require(APISIXKubernetesServiceName(parsing: "east/shop/web:http"))
        #expect(name.clusterID == "east")
        #expect(name.servicePortKey == ServicePortKey(namespace: "shop", service: "web", port: "http"))
        #expect(APISIXKubernetesServiceName(parsing: "a/b/shop/web:grpc")?.clusterID == "a/b")
        #expect(name.description == "east/shop/web:http")
    }

    @Test func unnamedPortIsTheEndpointPortNumber() throws {
        let name = try #require(APISIXKubernetesServiceName(parsing: "shop/web:8080"))
        #expect(name.endpointPortNumber == 8080)
        #expect(name.servicePortKey == ServicePortKey(namespace: "shop", service: "web", port: ""))
    }

    @Test(arguments: ["shop/web", "web:http", "shop/web:", "/web:http", "shop/:http", "/shop/web:http", ""])
    func rejectsMalformedNames(text: String) {
        #expect(APISIXKubernetesServiceName(parsing: text) == nil)
    }

    @Test func discoveryExposesTheParsedName() {
        let kubernetes = APISIXUpstream.Discovery(type: "kubernetes", serviceName: "shop/web:http")
        #expect(kubernetes.kubernetesServiceName?.portName == "http")
        #expect(APISIXUpstream.Discovery(type: "nacos", serviceName: "shop/web:http").kubernetesServiceName == nil)
    }
}
