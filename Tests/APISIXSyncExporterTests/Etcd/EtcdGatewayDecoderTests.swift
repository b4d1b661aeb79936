import Foundation
import Testing

@testable import APISIXSyncExporter

/// The etcd v3 JSON gateway's answers as etcd 3.4 writes them (keys and values base64, 64-bit numbers as strings),
/// decoded without I/O.
@Suite struct EtcdGatewayDecoderTests {
    static let header =
        #"{"cluster_id":"15118495548433857066","member_id":"13668033151171901709","revision":"8","raft_term":"2"}"#

    static func b64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    @Test func rangeEndIsThePrefixWithItsLastByteIncremented() {
        let range = EtcdKeyRange(prefix: "/apisix/")
        #expect(range.key == Array("/apisix/".utf8))
        #expect(range.rangeEnd == Array("/apisix0".utf8))
        #expect(EtcdKeyRange(prefix: "a\u{7f}").rangeEnd == [UInt8(ascii: "a"), 0x80])
        #expect(EtcdKeyRange(prefix: "").rangeEnd == [0])
        #expect(range.continuing(after: Array("/apisix/upstreams/1".utf8)).key == Self.b64("/apisix/upstreams/1\u{0}"))
    }

    @Test func aRangePageDecodesKeysValuesAndRevisions() throws {
        let body = """
            {"header":\(Self.header),"kvs":[{"key":"L2FwaXNpeC91cHN0cmVhbXMvMQ==","create_revision":"2",\
            "mod_revision":"4","version":"3","value":"eyJpZCI6IjEiLCJub2RlcyI6eyIxMC4wLjAuMTo4MCI6MX19"}],\
            "more":true,"count":"3"}
            """
        let page = try EtcdGatewayDecoder.rangePage(Data(body.utf8))
        #expect(page.revision == 8)
        #expect(page.more)
        #expect(
            page.kvs == [
                EtcdKeyValue(
                    key: "/apisix/upstreams/1",
                    value: Data(#"{"id":"1","nodes":{"10.0.0.1:80":1}}"#.utf8),
                    modRevision: 4
                )
            ]
        )
        let empty = try EtcdGatewayDecoder.rangePage(Data(#"{"header":\#(Self.header)}"#.utf8))
        #expect(empty.kvs.isEmpty && !empty.more && empty.revision == 8)
    }

    @Test func watchMessagesInTheGatewayFormat() throws {
        func message(_ result: String) throws -> EtcdWatchMessage {
            try EtcdGatewayDecoder.watchMessage(Data(#"{"result":{"header":\#(Self.header),\#(result)}}"#.utf8))
        }
        #expect(try message(#""created":true"#) == .created(revision: 8))
        // A PUT has no "type"; a DELETE's kv has no value. Several writes may come in one message.
        let events = try message(
            #""events":[{"kv":{"key":"\#(Self.b64("/apisix/routes/r"))","create_revision":"5","mod_revision":"7","#
                + #""version":"2","value":"\#(Self.b64("{}"))"}},{"type":"DELETE","kv":{"key":"\#(Self.b64("/apisix/upstreams/1"))","#
                + #""mod_revision":"8"}}]"#
        )
        #expect(
            events
                == .events(
                    [
                        EtcdEvent(.put, EtcdKeyValue(key: "/apisix/routes/r", value: Data("{}".utf8), modRevision: 7)),
                        EtcdEvent(.delete, EtcdKeyValue(key: "/apisix/upstreams/1", value: nil, modRevision: 8)),
                    ],
                    revision: 8
                )
        )
        #expect(try message(#""watch_id":"-1""#) == .progress(revision: 8))
        #expect(try message(#""canceled":true,"compact_revision":"3""#) == .compacted(compactRevision: 3))
        let denied = try message(
            #""watch_id":"-1","created":true,"canceled":true,"#
                + #""cancel_reason":"rpc error: code = PermissionDenied desc = etcdserver: permission denied""#
        )
        guard case .canceled(let reason) = denied else {
            Issue.record("not cancelled: \(denied)")
            return
        }
        #expect(EtcdGatewayDecoder.failure(cancelReason: reason).reason == .forbidden)
        let token = EtcdGatewayDecoder.failure(
            cancelReason: "rpc error: code = Unauthenticated desc = etcdserver: invalid auth token"
        )
        #expect(token.reason == .unauthorized)
        #expect(token.message == "etcd: etcdserver: invalid auth token")
    }

    @Test func aStreamErrorLineIsAFailure() {
        let line =
            #"{"error":{"grpc_code":14,"http_code":503,"message":"transport is closing","http_status":"Service Unavailable"}}"#
        #expect(throws: SourceFailure(.serverError, "etcd: transport is closing")) {
            try EtcdGatewayDecoder.watchMessage(Data(line.utf8))
        }
    }

    @Test func errorsMapToReasons() {
        func failure(_ status: Int, _ body: String) -> SourceFailure {
            EtcdGatewayDecoder.failure(status: status, body: Data(body.utf8))
        }
        let wrongPassword = failure(
            400,
            #"{"error":"etcdserver: authentication failed, invalid user ID or password","message":"etcdserver: authentication failed, invalid user ID or password","code":3}"#
        )
        #expect(wrongPassword.reason == .unauthorized)
        #expect(wrongPassword.message.contains("authentication failed"))
        #expect(
            failure(
                400,
                #"{"error":"etcdserver: user name is empty","message":"etcdserver: user name is empty","code":3}"#
            ).message.contains("--apisix.etcd-username")
        )
        #expect(
            failure(
                401,
                #"{"error":"etcdserver: invalid auth token","message":"etcdserver: invalid auth token","code":16}"#
            ).reason == .unauthorized
        )
        #expect(
            failure(
                403,
                #"{"error":"etcdserver: permission denied","message":"etcdserver: permission denied","code":7}"#
            ).reason == .forbidden
        )
        #expect(
            failure(
                400,
                #"{"error":"etcdserver: mvcc: required revision has been compacted","message":"etcdserver: mvcc: required revision has been compacted","code":11}"#
            ).reason == .expired
        )
        // Not etcd: an nginx page, an Admin API answer.
        let html = failure(404, "<html><body>404 Not Found</body></html>")
        #expect(html.reason == .notFound)
        #expect(html.message.contains("not an etcd v3 JSON gateway"))
    }

    @Test func aBodyThatIsNotTheGatewaysIsRejectedClearly() throws {
        #expect(throws: SourceFailure.self) { try EtcdGatewayDecoder.rangePage(Data(#"{"list":[],"total":0}"#.utf8)) }
        do {
            _ = try EtcdGatewayDecoder.rangePage(Data("<html>".utf8))
            Issue.record("decoded HTML")
        } catch {
            #expect(error.reason == .badResponse)
            #expect(error.message.contains("not an etcd v3 JSON gateway answer"))
        }
        #expect(throws: SourceFailure.self) { try EtcdGatewayDecoder.watchMessage(Data(#"{"result":"#.utf8)) }
        #expect(throws: SourceFailure.self) {
            try EtcdGatewayDecoder.authToken(Data(#"{"header":\#(Self.header)}"#.utf8))
        }
        #expect(
            try EtcdGatewayDecoder.authToken(Data(#"{"header":\#(Self.header),"token":"HmHVtcdhocipYQJJ.17"}"#.utf8))
                == "HmHVtcdhocipYQJJ.17"
        )
    }

    @Test func numbersNullsAndUnknownFieldsAreReadAsTheGatewayMeansThem() throws {
        // 64-bit numbers as JSON numbers too, null as absent, unknown fields (nested ones included) skipped.
        let line = #"""
            {"result":{"header":{"revision":12,"x":{"y":[1,{"z":null}]}},"events":[{"kv":{"key":"\#(Self.b64("/apisix/upstreams/1"))","mod_revision":"11","value":null},"type":null,"prev_kv":{}}],"fragment":false}}
            """#
        let message = try EtcdGatewayDecoder.watchMessage(Data(line.utf8))
        #expect(
            message
                == .events(
                    [EtcdEvent(.put, EtcdKeyValue(key: "/apisix/upstreams/1", value: Data(), modRevision: 11))],
                    revision: 12
                )
        )
    }

    @Test func aFieldOfAnotherTypeIsNotTheGateway() {
        for line in [
            #"{"result":{"header":{"revision":true}}}"#,
            #"{"result":{"header":{"revision":"12x"}}}"#,
            #"{"result":{"header":{"revision":"8"},"events":{}}}"#,
            #"{"result":{"header":{"revision":"8"},"created":"yes"}}"#,
            #"{"result":[]}"#,
            #"{"result":{"header":{"revision":"8"}}} trailing"#,
        ] {
            #expect(throws: SourceFailure.self, "\(line)") { try EtcdGatewayDecoder.watchMessage(Data(line.utf8)) }
        }
    }
}
