import Foundation
import Testing

@testable import APISIXSyncExporter

/// Telling etcd mode from API-driven standalone mode by the Admin API's answers.
@Suite struct APISIXAdminModeTests {
    @Test func configsProbe() {
        let empty = "{\"routes_conf_version\":0,\"upstreams_conf_version\":0,\"services_conf_version\":0}"
        #expect(APISIXAdminMode.fromConfigsProbe(status: 200, body: Data(empty.utf8)) == .standalone)
        let unsupported = "{\"error_msg\":\"Unsupported resource type: configs\"}"
        #expect(APISIXAdminMode.fromConfigsProbe(status: 404, body: Data(unsupported.utf8)) == .etcd)
        #expect(
            APISIXAdminMode.fromConfigsProbe(status: 404, body: Data("{\"error_msg\":\"not found\"}".utf8)) == .etcd
        )
    }

    @Test(arguments: [
        (404, "<html><head><title>404 Not Found</title></head></html>", "HTML error page (404 Not Found)"),
        (401, "{\"error_msg\":\"failed to check token\",\"description\":\"missing apikey\"}", "HTTP 401"),
        (200, "{\"list\":[],\"total\":0}", "200 from /apisix/admin/configs, but expected a standalone config"),
        (404, "{\"message\":\"Key not found\"}", "Key not found"),
    ])
    func configsProbeUndetermined(status: Int, body: String, expected: String) {
        guard case .undetermined(let reason) = APISIXAdminMode.fromConfigsProbe(status: status, body: Data(body.utf8))
        else {
            Issue.record("expected undetermined")
            return
        }
        #expect(reason.contains(expected), "\(reason)")
    }

    @Test func upstreamsProbe() {
        #expect(APISIXAdminMode.fromUpstreamsProbe(status: 200, body: Data("{\"list\":[],\"total\":0}".utf8)) == .etcd)
        let nginx = "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body><center>nginx</center></body></html>"
        #expect(APISIXAdminMode.fromUpstreamsProbe(status: 404, body: Data(nginx.utf8)) == .standalone)
        let json404 = APISIXAdminMode.fromUpstreamsProbe(status: 404, body: Data("{\"error_msg\":\"not found\"}".utf8))
        #expect(json404 == .undetermined("HTTP 404 from /apisix/admin/upstreams with an error response \"not found\""))
    }
}
