extension SimulatedIngressController {
    /// Where the controller writes each Service port's nodes in APISIX: the object shapes of the ingress
    /// controllers and tools that write APISIX configuration.
    public enum UpstreamStyle: Sendable, Hashable {
        /// apisix-ingress-controller 1.x (the default): one upstream per Service port, named
        /// `namespace_service_port` (the Service port) with the id ``SimulatedIngressController/upstreamID(name:)``,
        /// nodes in ``Configuration/nodeShape`` with ``Configuration/nodeWeight``. No routes or services are written.
        case upstreams
        /// Routes with an inline `upstream`, as APISIX users and ADC configurations write them (ingress controller
        /// 1.x never does): one route per Service port, named `namespace_service_port` with the same id rule,
        /// `uris` `["/service", "/service/*"]`, nodes under `value.upstream.nodes`.
        case inlineRoutes
        /// apisix-ingress-controller 2.x through ADC, with route-based names.
        case ingressController2(IngressController2Layout)
        /// APISIX's own Kubernetes discovery: one upstream per Service port, named `namespace_service_port`, with
        /// `discovery_type: kubernetes` and `service_name` `namespace/service:portName` (no `nodes`); each write
        /// updates the instance's discovery endpoints (`/v1/discovery/kubernetes/dump` on the Control API), so the
        /// lag models APISIX's informer.
        case kubernetesDiscovery
    }

    /// How apisix-ingress-controller 2.x (through ADC) lays out a Service port, for a world whose every Service is
    /// exposed by one Ingress or HTTPRoute named after it, with one rule and one path `/` on host
    /// `<service>.example.com`.
    ///
    /// Services and routes carry the labels `k8s/kind`, `k8s/name`, `k8s/namespace`, `k8s/controller-name` and
    /// `manager-by`; upstreams carry `managed-by: apisix-ingress-controller`; nodes are arrays with weight 1.
    public struct IngressController2Layout: Sendable, Hashable {
        /// The Kubernetes object the routes come from, which sets the names.
        public enum Source: Sendable, Hashable {
            /// An Ingress `<service>`: service and route both named `namespace_service_0-0` (same id).
            case ingress
            /// An HTTPRoute `<service>`: service `namespace_service_0`, route `namespace_service_0-0`.
            case httpRoute
        }

        /// The Kubernetes object the routes come from.
        public var source: Source
        /// Whether the service's upstream is split into an upstream of its own with the service's id and name,
        /// referenced by `upstream_id` (ADC 0.22 and later in etcd mode, 0.21 and later in standalone mode), or
        /// kept inline in the service (`value.upstream.nodes`, older ADC).
        public var splitUpstreams: Bool
        /// HTTPRoute only: whether each route's rule also has the next Service (by index, wrapping around) as a
        /// second backend. ADC then writes that backend as an upstream named `Service_namespace_next_port`,
        /// referenced from the service's `traffic-split` plugin; with it, two upstreams carry each Service port's
        /// nodes. Ignored with a single Service.
        public var trafficSplit: Bool

        /// Creates a layout.
        ///
        /// - Parameters:
        ///   - source: Ingress (the default) or HTTPRoute.
        ///   - splitUpstreams: Whether upstreams are split out of services, `true` by default.
        ///   - trafficSplit: Whether HTTPRoute rules have a second, traffic-split backend, `false` by default.
        public init(source: Source = .ingress, splitUpstreams: Bool = true, trafficSplit: Bool = false) {
            self.source = source
            self.splitUpstreams = splitUpstreams
            self.trafficSplit = trafficSplit
        }
    }
}
