import Logging

/// Everything the exporter reads of one APISIX target, whatever its shape: the Admin API (etcd mode with either
/// envelope, or standalone mode) or the Control API, as the target's ``APISIXTarget/view`` says, plus the Kubernetes
/// discovery dump for upstreams with `discovery_type: kubernetes` when the target has a Control API.
public struct APISIXSource: Sendable, CustomStringConvertible {
    public let target: APISIXTarget
    let admin: APISIXAdminClient
    let control: APISIXControlClient?
    let logger: Logger

    /// - Parameters:
    ///   - admin: a client of the target (its Control API client is derived from it).
    ///   - logger: where changes of what the target serves are logged (a Control API starting or ceasing to answer
    ///     404 on `/v1/routes` or `/v1/services`); by default the process's `apisix-sync-exporter` logger.
    public init(admin: APISIXAdminClient, logger: Logger = Logger(label: "apisix-sync-exporter")) {
        self.target = admin.target
        self.admin = admin
        self.control = admin.controlAPI()
        self.logger = logger
    }

    public var description: String { "APISIXSource(\(target.name), \(target.view.rawValue) view)" }

    /// Whether cheap `HEAD` polls can stand for fast polls (the Admin API view of a standalone target).
    func pollsByDigest(_ state: APISIXRefreshState) -> Bool {
        target.view == .admin && state.mode == .standalone
    }

    /// Every upstream in use, in the target's view; Kubernetes discovery upstreams carry the dump's nodes (nil
    /// without a Control API or when the dump does not list the Service).
    public func refresh(_ state: inout APISIXRefreshState) async throws(SourceFailure) -> [APISIXUpstream] {
        var upstreams: [APISIXUpstream]
        switch target.view {
        case .admin: upstreams = try await admin.refresh(&state)
        case .control:
            guard let control else { throw SourceFailure(.clientError, "no Control API URL for \(target.name)") }
            let missingBefore = state.missingControlLists
            upstreams = try await control.refresh(&state)
            if state.missingControlLists != missingBefore { logMissingControlLists(state.missingControlLists) }
        }
        var dump: APISIXKubernetesDiscoveryDump?
        if let control, upstreams.contains(where: { $0.discovery?.kubernetesServiceName != nil }) {
            do {
                dump = try await control.kubernetesDiscoveryDump()
            } catch let failure where failure.reason == .notFound {
                dump = nil  // this APISIX has no Kubernetes discovery (or is older than 3.10): not measured
            }
        }
        state.kubernetesDiscovery = [:]
        for index in upstreams.indices where upstreams[index].discovery != nil {
            let name = upstreams[index].discovery?.kubernetesServiceName
            upstreams[index].nodes = name.flatMap { dump?.nodes(for: $0) }
            upstreams[index].modifiedIndex = nil  // the nodes change without a new revision
            if name != nil { state.kubernetesDiscovery[upstreams[index].id] = upstreams[index] }
        }
        return upstreams
    }

    /// Logs a change of the Control API lists the target lacks: once when it starts answering 404 on them, once
    /// when it serves them again.
    private func logMissingControlLists(_ missing: [String]) {
        if missing.isEmpty {
            logger.info(
                "Control API serves /v1/routes and /v1/services again",
                metadata: ["target": .string(target.name)]
            )
        } else {
            let paths = missing.joined(separator: " and ")
            logger.warning(
                "Control API answers 404 on \(paths): read as none; upstreams inline in routes or services are not measured",
                metadata: ["target": .string(target.name), "paths": .string(missing.joined(separator: ","))]
            )
        }
    }

    /// The Kubernetes discovery upstreams among `ids` with the nodes the pod's discovery holds now, from one read of
    /// the dump; empty when none of `ids` is one.
    func discoveryUpstreams(
        _ ids: [String],
        state: APISIXRefreshState
    ) async throws(SourceFailure) -> [(id: String, upstream: APISIXUpstream)] {
        let known = ids.compactMap { state.kubernetesDiscovery[$0] }
        guard !known.isEmpty, let control else { return [] }
        let dump = try await control.kubernetesDiscoveryDump()
        return known.map { upstream in
            var current = upstream
            current.nodes = upstream.discovery?.kubernetesServiceName.flatMap { dump.nodes(for: $0) }
            current.modifiedIndex = nil
            return (upstream.id, current)
        }
    }

    /// The client of the view measured: the Admin API, or the Control API.
    private var measured: any APISIXUpstreamReader {
        if target.view == .control, let control { return control }
        return admin
    }

    /// One upstream without discovery, in the target's view.
    func upstreamInUse(id: String) async throws(SourceFailure) -> APISIXUpstream? {
        try await measured.upstreamInUse(id: id)
    }

    /// Several upstreams without discovery, in the target's view, each timed by `now` as its answer arrives.
    func upstreamsInUse(
        ids: [String],
        reusing previous: [String: APISIXUpstream],
        now: @escaping @Sendable () -> Timestamp
    ) async -> [(id: String, result: APISIXInUseResult)] {
        await measured.upstreamsInUse(ids: ids, reusing: previous, now: now)
    }

    /// Closes the source's own connections (call once its poller stopped).
    public func shutdown() {
        admin.shutdown()
        control?.shutdown()
    }

    /// The standalone config's `HEAD` check (Admin API view only).
    func standaloneConfigChanged(since state: APISIXRefreshState) async throws(SourceFailure) -> Bool {
        try await admin.standaloneConfigChanged(since: state)
    }
}
