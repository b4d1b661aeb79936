import Foundation

/// Routes and services from the Admin API (`/apisix/admin/routes`, `/apisix/admin/services`), in either envelope.
extension AdminAPIDecoder {
    /// Decodes `GET /apisix/admin/routes`; routes of `previous` (by id) whose `modifiedIndex` did not change are reused.
    public static func decodeRouteList(
        _ data: Data,
        reusing previous: [String: APISIXRoute] = [:]
    ) throws(DecodingError) -> AdminAPIListing<APISIXRoute> {
        try AdminAPIEnvelopeReader.decodeList(data, what: "routes") { node, reader throws(JSONReader.Failure) in
            try route(node, reader, previous: previous)
        }
    }

    /// Decodes `GET /apisix/admin/routes/{id}`.
    public static func decodeRoute(_ data: Data) throws(DecodingError) -> APISIXRoute {
        try AdminAPIEnvelopeReader.decodeSingle(data, what: "route") { node, reader throws(JSONReader.Failure) in
            try route(node, reader, previous: [:])
        }
    }

    /// Decodes `GET /apisix/admin/services`; services of `previous` (by id) whose `modifiedIndex` did not change are
    /// reused.
    public static func decodeServiceList(
        _ data: Data,
        reusing previous: [String: APISIXService] = [:]
    ) throws(DecodingError) -> AdminAPIListing<APISIXService> {
        try AdminAPIEnvelopeReader.decodeList(data, what: "services") { node, reader throws(JSONReader.Failure) in
            try service(node, reader, previous: previous)
        }
    }

    /// Decodes `GET /apisix/admin/services/{id}`.
    public static func decodeService(_ data: Data) throws(DecodingError) -> APISIXService {
        try AdminAPIEnvelopeReader.decodeSingle(data, what: "service") { node, reader throws(JSONReader.Failure) in
            try service(node, reader, previous: [:])
        }
    }

    static func route(
        _ node: EtcdNode,
        _ reader: JSONReader,
        previous: [String: APISIXRoute]
    ) throws(JSONReader.Failure) -> APISIXRoute {
        try routingObject(node, reader, previous: previous, what: "route")
    }

    static func service(
        _ node: EtcdNode,
        _ reader: JSONReader,
        previous: [String: APISIXService]
    ) throws(JSONReader.Failure) -> APISIXService {
        try routingObject(node, reader, previous: previous, what: "service")
    }

    /// A route or service: reused from `previous` when its `modifiedIndex` did not change, else read from its body.
    private static func routingObject<Object: RoutingObject>(
        _ node: EtcdNode,
        _ reader: JSONReader,
        previous: [String: Object],
        what: String
    ) throws(JSONReader.Failure) -> Object {
        if let old = Object.reusable(previous, id: node.keyID, modifiedIndex: node.modifiedIndex) { return old }
        var valueReader = node.valueReader(reader)
        let body = try RoutingObjectBody.read(&valueReader, what: what)
        guard let id = body.id ?? node.keyID else { throw valueReader.failure("\(what) without id") }
        return Object(body, id: id, modifiedIndex: node.modifiedIndex ?? body.modifiedIndex)
    }
}

/// A route or a service: what the Admin API's route and service bodies decode into.
protocol RoutingObject: ModifiedIndexed {
    init(_ body: RoutingObjectBody, id: String, modifiedIndex: Int?)
}

extension APISIXRoute: RoutingObject {
    init(_ body: RoutingObjectBody, id: String, modifiedIndex: Int?) {
        self.init(
            id: id,
            name: body.name,
            upstreamID: body.upstreamID,
            serviceID: body.serviceID,
            upstream: body.upstream,
            trafficSplitUpstreamIDs: body.trafficSplitUpstreamIDs,
            isEnabled: body.status != 0,
            modifiedIndex: modifiedIndex
        )
    }
}

extension APISIXService: RoutingObject {
    init(_ body: RoutingObjectBody, id: String, modifiedIndex: Int?) {
        self.init(
            id: id,
            name: body.name,
            upstreamID: body.upstreamID,
            upstream: body.upstream,
            trafficSplitUpstreamIDs: body.trafficSplitUpstreamIDs,
            modifiedIndex: modifiedIndex
        )
    }
}
