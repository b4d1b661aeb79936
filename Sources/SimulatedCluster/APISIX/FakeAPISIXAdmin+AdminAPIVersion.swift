extension FakeAPISIXAdmin {
    /// The Admin API envelope and the release habits that go with it.
    public enum AdminAPIVersion: Sendable, Hashable {
        /// APISIX 3.x with the default `admin_api_version: v3`: lists `{"list":[…],"total":N}` (with `page`,
        /// `page_size`, `name` and `label`), single GETs `{"key","value","createdIndex","modifiedIndex"}`,
        /// `X-API-VERSION: v3`.
        case v3
        /// APISIX 3.x with `admin_api_version: v2`: the etcd v2 envelope (see ``apisix2``), no paging or filtering,
        /// `X-API-VERSION: v2`.
        case v2
        /// APISIX 2.x (2.5 and later): lists `{"action":"get","count":N,"node":{"dir":true,"key":…,"nodes":[…]}}`
        /// whose items keep their indexes, single GETs `{"action":"get","count":1,"node":{"key","value"}}` without
        /// indexes, no paging or filtering, no `X-API-VERSION` header, and `{"error_msg":"not found"}` for unknown
        /// resource types. (2.x also served the Admin API on the proxy port: see
        /// ``Configuration/proxyPort``.)
        case apisix2

        /// Whether responses use the v2 envelope.
        var isV2: Bool { self != .v3 }

        /// The `X-API-VERSION` header value, or `nil` when none is sent.
        var headerValue: String? {
            switch self {
            case .v3: return "v3"
            case .v2: return "v2"
            case .apisix2: return nil
            }
        }
    }

    /// How an empty v2 list's `node.nodes` is encoded.
    public enum EmptyListEncoding: Sendable, Hashable {
        /// `[]`, as APISIX 2.13 and later return it (they decode etcd answers with `decode_array_with_array_mt`).
        case array
        /// `{}`, lua-cjson's encoding of an empty table without the array metatable (APISIX before 2.13).
        case object
    }
}
