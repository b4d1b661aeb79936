extension FakeAPISIXAdmin {
    /// Where the fake instance keeps its configuration, which decides the Admin API it serves.
    public enum DeploymentMode: Sendable, Hashable {
        /// The traditional etcd-backed Admin API: `/apisix/admin/upstreams`, `/services`, `/routes`;
        /// `/apisix/admin/configs` answers 404 `{"error_msg":"Unsupported resource type: configs"}`.
        case etcd
        /// API-driven standalone mode (APISIX 3.13 and later, `config_provider: yaml`, used by
        /// apisix-ingress-controller 2.x's `apisix-standalone` provider): only `HEAD /apisix/admin` and
        /// `GET`/`HEAD /apisix/admin/configs` exist; every other Admin API path answers nginx's plain HTML 404.
        /// Every in-process write is one full-config push as ADC makes it: changed items get the push's
        /// epoch-millisecond stamp as `modifiedIndex` and their types' `<type>_conf_version`, and `X-Digest` /
        /// `X-Last-Modified` change.
        case standalone
    }
}
