import Foundation

/// The upstreams, routes and services stored under an APISIX etcd prefix, decoded with the Admin API's value
/// decoders (the values are what the Admin API returns as `value`). Pure: fed by range pages and watch events.
///
/// A value that does not decode is reported and leaves the object as it was: it ends no change, as APISIX itself
/// would not load it either.
public struct EtcdStoredObjects: Sendable {
    /// A value that was rejected: its key and why (free of the value's contents beyond a short excerpt).
    public struct Rejection: Sendable, Equatable, CustomStringConvertible {
        public var key: String
        public var reason: String
        public var description: String { "\(key): \(reason)" }
    }

    /// The directory keys start with, `<prefix>/` (e.g. `/apisix/`).
    public let directory: String
    public private(set) var upstreams: [String: APISIXUpstream] = [:]
    public private(set) var routes: [String: APISIXRoute] = [:]
    public private(set) var services: [String: APISIXService] = [:]

    /// - Parameter prefix: APISIX's `etcd.prefix` (default `/apisix`), with or without a trailing slash.
    public init(prefix: String) {
        var directory = prefix
        while directory.hasSuffix("/") { directory.removeLast() }
        self.directory = directory + "/"
    }

    /// The key range a range read and a watch cover: everything under the directory.
    public var keyRange: EtcdKeyRange { EtcdKeyRange(prefix: directory) }

    enum Kind { case upstream, route, service }

    /// The kind and id of a key `<prefix>/<type>/<id>`; nil for every other key (other types, directory
    /// placeholders such as `/apisix/upstreams/`, nested keys).
    func classify(_ key: String) -> (kind: Kind, id: String)? {
        // On UTF-8 bytes: one comparison per byte (keys are ASCII paths), no Character breaking.
        let bytes = key.utf8
        guard bytes.starts(with: directory.utf8) else { return nil }
        let rest = bytes.dropFirst(directory.utf8.count)
        guard let slash = rest.firstIndex(of: UInt8(ascii: "/")) else { return nil }
        let id = rest[rest.index(after: slash)...]
        guard !id.isEmpty, !id.contains(UInt8(ascii: "/")) else { return nil }
        let type = rest[..<slash]
        let kind: Kind
        if type.elementsEqual("upstreams".utf8) {
            kind = .upstream
        } else if type.elementsEqual("routes".utf8) {
            kind = .route
        } else if type.elementsEqual("services".utf8) {
            kind = .service
        } else {
            return nil
        }
        return (kind, String(Substring(id)))
    }

    /// Replaces everything with a complete read of the prefix; returns the values that did not decode (their keys
    /// keep the object decoded before, if any).
    public mutating func replaceAll(_ kvs: [EtcdKeyValue]) -> [Rejection] {
        let previous = self
        upstreams = [:]
        routes = [:]
        services = [:]
        var rejected: [Rejection] = []
        for kv in kvs {
            guard let (kind, id) = classify(kv.key) else { continue }
            if let rejection = put(kind, id: id, kv) {
                rejected.append(rejection)
                switch kind {
                case .upstream: upstreams[id] = previous.upstreams[id]
                case .route: routes[id] = previous.routes[id]
                case .service: services[id] = previous.services[id]
                }
            }
        }
        return rejected
    }

    /// What a batch of watch events changed.
    public struct Changes: Sendable, Equatable {
        /// Upstream objects written or deleted (by id).
        public var upstreams: Set<String> = []
        /// Whether a route or service was written or deleted: which upstreams are in use must be resolved again.
        public var routing = false
        /// Values that did not decode (their objects stay as they were).
        public var rejected: [Rejection] = []

        public var isEmpty: Bool { upstreams.isEmpty && !routing }
    }

    /// Applies watch events in order and says what changed.
    public mutating func apply(_ events: [EtcdEvent]) -> Changes {
        var changes = Changes()
        for event in events {
            guard let (kind, id) = classify(event.kv.key) else { continue }
            switch event.kind {
            case .delete:
                switch kind {
                case .upstream: if upstreams.removeValue(forKey: id) != nil { changes.upstreams.insert(id) }
                case .route: if routes.removeValue(forKey: id) != nil { changes.routing = true }
                case .service: if services.removeValue(forKey: id) != nil { changes.routing = true }
                }
            case .put:
                if let rejection = put(kind, id: id, event.kv) {
                    changes.rejected.append(rejection)
                } else if kind == .upstream {
                    changes.upstreams.insert(id)
                } else {
                    changes.routing = true
                }
            }
        }
        return changes
    }

    /// Every upstream in use, as an Admin API refresh computes it: an `upstream_id` beats an inline upstream, a
    /// route's beats its service's (``APISIXRoutingResolver``).
    public func upstreamsInUse() -> [APISIXUpstream] {
        let list = Array(upstreams.values)
        if routes.isEmpty && services.isEmpty { return list }
        return APISIXRoutingResolver.resolve(
            upstreams: list,
            routes: Array(routes.values),
            services: Array(services.values)
        ).inUse.map(\.upstream)
    }

    /// Decodes and stores one value; returns the rejection when it does not decode (nothing is stored then).
    private mutating func put(_ kind: Kind, id: String, _ kv: EtcdKeyValue) -> Rejection? {
        guard let value = kv.value else { return Rejection(key: kv.key, reason: "no value") }
        let revision = Int(kv.modRevision)
        do throws(JSONReader.Failure) {
            try JSONReader.read(value) { reader throws(JSONReader.Failure) in
                // The whole value must be one JSON document, as the Admin API's envelope would require.
                var probe = reader
                try probe.skipValue()
                try probe.expectEnd()
                let node = EtcdNode(keyID: id, modifiedIndex: revision, valueRange: 0..<reader.bytes.count)
                switch kind {
                case .upstream: upstreams[id] = try AdminAPIDecoder.upstream(node, reader, previous: [:])
                case .route: routes[id] = try AdminAPIDecoder.route(node, reader, previous: [:])
                case .service: services[id] = try AdminAPIDecoder.service(node, reader, previous: [:])
                }
            }
            return nil
        } catch {
            return Rejection(key: kv.key, reason: "value does not decode: \(error)")
        }
    }
}
