import Foundation

/// How an APISIX instance stores its configuration, as seen from its Admin API.
public enum APISIXAdminMode: Sendable, Equatable {
    /// etcd-backed: objects under `/apisix/admin/upstreams`, `/routes`, `/services`.
    case etcd
    /// API-driven standalone (APISIX ≥ 3.13): one config under `/apisix/admin/configs`.
    case standalone
    /// Neither could be told from this answer; the reason says what was seen.
    case undetermined(String)

    /// From the answer to `GET /apisix/admin/configs`: 200 with a config object is standalone; a JSON 404
    /// `Unsupported resource type` (3.9+) or `not found` (2.x–3.8) is etcd mode.
    public static func fromConfigsProbe(status: Int, body: Data) -> APISIXAdminMode {
        switch status {
        case 200:
            do {
                _ = try StandaloneConfigDecoder.decode(body)
                return .standalone
            } catch {
                return .undetermined("200 from /apisix/admin/configs, but \(error.reason)")
            }
        case 404:
            let message = errorMessage(body)
            if let message, message.hasPrefix("Unsupported resource type") || message == "not found" {
                return .etcd
            }
            return .undetermined(
                "404 from /apisix/admin/configs with \(ResponseBodySummary.describe(body, quoting: true))"
            )
        default:
            return .undetermined(
                "HTTP \(status) from /apisix/admin/configs with \(ResponseBodySummary.describe(body, quoting: true))"
            )
        }
    }

    /// From the answer to `GET /apisix/admin/upstreams`: 200 is etcd mode; a plain (HTML) nginx 404 is standalone,
    /// whose admin router has no such route.
    public static func fromUpstreamsProbe(status: Int, body: Data) -> APISIXAdminMode {
        if status == 200 { return .etcd }
        if status == 404, !ResponseBodySummary.looksLikeJSON(body) { return .standalone }
        return .undetermined(
            "HTTP \(status) from /apisix/admin/upstreams with \(ResponseBodySummary.describe(body, quoting: true))"
        )
    }

    /// `error_msg` of a JSON error body.
    private static func errorMessage(_ body: Data) -> String? {
        try? JSONReader.read(body) { reader throws(JSONReader.Failure) -> String? in
            guard try reader.kind() == .object else { return nil }
            var message: String?
            try reader.readObject { reader, key throws(JSONReader.Failure) in
                if key == "error_msg", try reader.kind() == .string { message = try reader.readString() }
            }
            return message
        }
    }
}
