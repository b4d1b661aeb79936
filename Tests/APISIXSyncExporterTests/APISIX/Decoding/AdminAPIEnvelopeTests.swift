import Foundation
import TestSupport
import Testing

@testable import APISIXSyncExporter

/// Admin API v2 and v3 envelopes, detected per response, around upstream items.
@Suite struct AdminAPIEnvelopeTests {
    @Test func v2ListWithArrayAndHashNodes() throws {
        let body = """
            {"action":"get","count":2,"node":{"dir":true,"key":"/apisix/upstreams","nodes":[
              {"key":"/apisix/upstreams/a","value":{"id":"a","nodes":[{"host":"10.1.0.1","port":8080,"weight":100}],
               "type":"roundrobin","update_time":1660000123},"createdIndex":7,"modifiedIndex":9},
              {"key":"/apisix/upstreams/b","value":{"id":"b","nodes":{"10.1.0.2:9000":1}},"createdIndex":8,
               "modifiedIndex":8}]}}
            """
        let listing = try AdminAPIDecoder.decodeUpstreamListing(Data(body.utf8))
        #expect(listing.envelope == .v2)
        #expect(listing.items.map(\.id) == ["a", "b"])
        #expect(listing.items.map(\.modifiedIndex) == [9, 8])
        #expect(listing.items[0].nodes == nodes("10.1.0.1"))
        #expect(listing.items[1].nodes == nodes("10.1.0.2", port: 9000))
    }

    @Test func keyOrderDoesNotMatter() throws {
        let body = """
            {"node":{"nodes":[{"modifiedIndex":3,"value":{"nodes":{"10.1.0.1:80":1},"id":"x"},"key":"/apisix/upstreams/x"}],
             "key":"/apisix/upstreams","dir":true},"count":1,"action":"get"}
            """
        let listing = try AdminAPIDecoder.decodeUpstreamListing(Data(body.utf8))
        #expect(listing.items == [APISIXUpstream(id: "x", nodes: nodes("10.1.0.1", port: 80), modifiedIndex: 3)])
    }

    @Test(arguments: [
        "{\"list\":[],\"total\":0}", "{\"list\":{},\"total\":0}",
        "{\"action\":\"get\",\"count\":0,\"node\":{\"dir\":true,\"key\":\"/apisix/upstreams\",\"nodes\":[]}}",
        "{\"action\":\"get\",\"count\":0,\"node\":{\"dir\":true,\"key\":\"/apisix/upstreams\",\"nodes\":{}}}",
        "{\"action\":\"get\",\"count\":0,\"node\":{\"dir\":true,\"key\":\"/apisix/upstreams\"}}",
    ])
    func emptyListsInEveryEncoding(body: String) throws {
        #expect(try AdminAPIDecoder.decodeUpstreamList(Data(body.utf8)).isEmpty)
    }

    @Test func envelopeIsReported() throws {
        #expect(try AdminAPIDecoder.decodeUpstreamListing(Data("{\"list\":[],\"total\":0}".utf8)).envelope == .v3)
        let v2 = "{\"action\":\"get\",\"count\":0,\"node\":{\"dir\":true,\"nodes\":[]}}"
        #expect(try AdminAPIDecoder.decodeUpstreamListing(Data(v2.utf8)).envelope == .v2)
    }

    @Test func v2SingleHasNoRevision() throws {
        let body = """
            {"action":"get","node":{"key":"/apisix/upstreams/u1","value":{"hash_on":"vars","id":"u1",
             "nodes":{"127.0.0.1:8080":1},"pass_host":"pass","scheme":"http","type":"roundrobin"}}}
            """
        let upstream = try AdminAPIDecoder.decodeUpstream(Data(body.utf8))
        #expect(upstream == APISIXUpstream(id: "u1", nodes: nodes("127.0.0.1"), modifiedIndex: nil))
    }

    @Test func v3SingleKeepsItsRevisionAndFallsBackToTheKeyForTheID() throws {
        let body = """
            {"key":"/apisix/upstreams/7","value":{"nodes":[{"host":"10.0.0.7","port":81,"weight":1}]},
             "createdIndex":31,"modifiedIndex":44}
            """
        #expect(
            try AdminAPIDecoder.decodeUpstream(Data(body.utf8))
                == APISIXUpstream(id: "7", nodes: nodes("10.0.0.7", port: 81), modifiedIndex: 44)
        )
    }

    @Test func reuseWorksInTheV2EnvelopeToo() throws {
        let body = """
            {"action":"get","count":1,"node":{"dir":true,"nodes":[
              {"key":"/apisix/upstreams/a","value":{"id":"a","nodes":{"10.0.0.1:80":1}},"modifiedIndex":5}]}}
            """
        let previous = ["a": APISIXUpstream(id: "a", name: "reused", nodes: [], modifiedIndex: 5)]
        #expect(try AdminAPIDecoder.decodeUpstreamList(Data(body.utf8), reusing: previous)[0].name == "reused")
    }

    /// Bodies that are no list, each with a word the reason must contain.
    @Test(arguments: [
        (
            "<html>\r\n<head><title>404 Not Found</title></head><body>nginx</body></html>",
            "HTML error page (404 Not Found)"
        ),
        ("{\"error_msg\":\"Unsupported resource type: configs\"}", "Unsupported resource type: configs"),
        (
            "{\"error_msg\":\"failed to check token\",\"description\":\"wrong apikey\"}",
            "failed to check token: wrong apikey"
        ),
        ("{\"message\":\"Key not found\"}", "Key not found"),
        ("page_size must be between 10 and 500\n", "plain-text body \"page_size must be between 10 and 500\""),
        ("", "empty body"),
        ("{\"foo\":1,\"bar\":[]}", "JSON object with keys foo, bar"),
        ("[{\"key\":\"/apisix/upstreams/1\",\"value\":{\"id\":\"1\"}}]", "JSON array"),
        ("{\"key\":\"/apisix/upstreams/1\",\"value\":{\"id\":\"1\"}}", "single object, not a list"),
        ("{\"list\":[{\"key\":\"/apisix/upstreams/1\",\"value\":{\"id\":\"1\"", "unexpected end of document"),
        ("{\"action\":\"get\",\"node\":{}}", "JSON object with keys action, node"),
        ("{\"action\":\"get\",\"node\":[]}", "\"node\" is not an object"),
    ])
    func unrecognizedListBodiesSayWhatTheyWere(body: String, expected: String) {
        let error = #expect(throws: APISIXDecodingError.self) {
            try AdminAPIDecoder.decodeUpstreamList(Data(body.utf8))
        }
        #expect(error?.api == .adminAPI)
        #expect(error?.reason.contains(expected) == true, "\(error?.reason ?? "no error")")
    }

    @Test(arguments: [
        ("{\"list\":[],\"total\":0}", "a v3 list, not a single object"),
        ("{\"action\":\"get\",\"node\":{\"dir\":true,\"nodes\":[]}}", "a v2 list, not a single object"),
        ("{\"message\":\"Key not found\"}", "Key not found"),
        ("{\"node\":{\"key\":\"/apisix/upstreams/1\"}}", "\"node\" without \"value\""),
        ("{\"key\":\"/apisix/upstreams/1\",\"value\":\"x\"}", "\"value\" is not an object"),
        ("{\"value\":{\"nodes\":{}}}", "upstream without id"),
    ])
    func unrecognizedSingleBodiesSayWhatTheyWere(body: String, expected: String) {
        let error = #expect(throws: APISIXDecodingError.self) { try AdminAPIDecoder.decodeUpstream(Data(body.utf8)) }
        #expect(error?.reason.contains(expected) == true, "\(error?.reason ?? "no error")")
    }

    @Test func errorDescriptionNamesTheAPI() {
        let error = APISIXDecodingError(.adminAPI, reason: "x")
        #expect(error.description == "unexpected Admin API response: x")
        #expect(AdminAPIDecoder.DecodingError.self == APISIXDecodingError.self)
    }
}
