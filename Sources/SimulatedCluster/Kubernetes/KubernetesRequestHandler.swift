import Hummingbird
import NIOCore

/// Answers the HTTP requests of ``FakeKubernetesAPI``.
struct KubernetesRequestHandler: Sendable {
    /// The shared state of the fake.
    let state: ObservedState<KubernetesClusterState>

    /// Produces the response to `request`.
    func respond(to request: Request, context: FakeRequestContext) async throws -> Response {
        let query = RequestQuery(request)
        let recorded = FakeKubernetesAPI.RecordedRequest(
            path: request.uri.path,
            query: query.values,
            authorization: request.headers[.authorization],
            accept: request.headers[.accept]
        )
        let settings = self.state.withLock { $0.settings }
        let route = KubernetesRoute(path: request.uri.path)
        if let token = settings.requiredBearerToken, route != .version, !Self.carriesBearerToken(token, request) {
            self.state.withLock { $0.statistics.unauthorizedRequests += 1 }
            return KubernetesResponses.status(.unauthorized)
        }
        guard let route, settings.servesWorkloads || !route.isWorkload else {
            return KubernetesResponses.status(.pathNotFound)
        }
        guard request.method == .get else {
            return KubernetesResponses.status(.methodNotAllowed)
        }
        let format = KubernetesObjectFormat(accept: request.headers[.accept])
        do {
            switch route {
            case .collection(let resource, let namespace) where query.isTrue("watch"):
                return try self.watch(
                    resource,
                    namespace: namespace,
                    query: query,
                    recorded: recorded,
                    settings: settings,
                    format: format,
                    channel: context.channel
                )
            case .collection(let resource, let namespace):
                if let delay = self.state.withLock({ $0.listDelay }) {
                    try? await Task.sleep(for: delay)
                }
                return try self.list(
                    resource,
                    namespace: namespace,
                    query: query,
                    recorded: recorded,
                    settings: settings,
                    format: format
                )
            case .object(let resource, let namespace, let name):
                return self.get(resource, namespace: namespace, name: name, format: format)
            case .version, .coreVersions, .coreResources, .groups, .discoveryGroup, .discoveryResources, .appsGroup,
                .appsResources:
                let port = self.state.withLock { state in
                    state.statistics.discoveryRequests += 1
                    return state.port
                }
                return KubernetesResponses.json(
                    KubernetesDiscovery.document(for: route, settings: settings, port: port)
                )
            }
        } catch {
            return KubernetesResponses.status(error)
        }
    }

    private func list(
        _ resource: KubernetesResource,
        namespace: String?,
        query: RequestQuery,
        recorded: FakeKubernetesAPI.RecordedRequest,
        settings: FakeKubernetesAPI.Configuration,
        format: KubernetesObjectFormat
    ) throws(KubernetesStatus) -> Response {
        let failure = self.state.withLock { state -> KubernetesStatus? in
            state.statistics.tableRequests += format == .object ? 0 : 1
            // Counters and injected faults are about the EndpointSlice watch; pods and ReplicaSets only count.
            guard resource == .endpointSlices else {
                state.statistics.workloadListRequests += 1
                return nil
            }
            state.statistics.listRequests += 1
            state.statistics.lastListRequest = recorded
            return state.takeInjectedFailure()
        }
        if let failure { throw failure }

        let filter = KubernetesObjectFilter(
            namespace: namespace,
            selector: try LabelSelector(parsing: query["labelSelector"] ?? "")
        )
        var limit: Int?
        if let text = query["limit"], !text.isEmpty {
            guard let value = Int(text), value >= 0 else {
                throw KubernetesStatus.badRequest("invalid value for limit: \(text)")
            }
            limit = value > 0 ? value : nil
        }
        if let cap = settings.maxPageSize, cap > 0 {
            limit = min(limit ?? cap, cap)
        }
        var continueToken: KubernetesContinueToken?
        if let text = query["continue"], !text.isEmpty {
            if let version = query["resourceVersion"], !version.isEmpty, version != "0" {
                throw KubernetesStatus.badRequest("specifying resource version is not allowed when using continue")
            }
            continueToken = try KubernetesContinueToken(decoding: text)
        }
        let result = self.state.withLock { state in
            Result { () throws(KubernetesStatus) in
                try state.store.listPage(resource, filter: filter, limit: limit, continueToken: continueToken)
            }
        }
        let page = try result.get()
        if case .table(let version) = format {
            let table = KubernetesTable.list(
                page.items,
                resource: resource,
                version: version,
                resourceVersion: page.resourceVersion,
                continueToken: page.continueToken?.encoded,
                remainingItemCount: page.remainingItemCount
            )
            return KubernetesResponses.json(table, contentType: format.contentType)
        }
        return KubernetesResponses.json(
            KubernetesWire.list(
                resource: resource,
                items: page.items.map { KubernetesWire.object($0, includeTypeMeta: false) },
                resourceVersion: page.resourceVersion,
                continueToken: page.continueToken?.encoded,
                remainingItemCount: page.remainingItemCount
            )
        )
    }

    private func watch(
        _ resource: KubernetesResource,
        namespace: String?,
        query: RequestQuery,
        recorded: FakeKubernetesAPI.RecordedRequest,
        settings: FakeKubernetesAPI.Configuration,
        format: KubernetesObjectFormat,
        channel: any Channel
    ) throws(KubernetesStatus) -> Response {
        let failure = self.state.withLock { state -> KubernetesStatus? in
            state.statistics.tableRequests += format == .object ? 0 : 1
            guard resource == .endpointSlices else {
                state.statistics.workloadWatchRequests += 1
                return nil
            }
            state.statistics.watchRequests += 1
            state.statistics.lastWatchRequest = recorded
            return state.takeInjectedFailure()
        }
        if let failure { throw failure }

        let filter = KubernetesObjectFilter(
            namespace: namespace,
            selector: try LabelSelector(parsing: query["labelSelector"] ?? "")
        )
        let start: WatchPlan.Start
        switch query["resourceVersion"] {
        case nil, "", "0":
            start = .currentState
        case .some(let text):
            guard let version = Int(text), version > 0 else {
                throw KubernetesStatus.badRequest(
                    "invalid resource version: strconv.ParseUint: parsing \"\(text)\": invalid syntax"
                )
            }
            start = .after(version)
        }
        let allowBookmarks = query.isTrue("allowWatchBookmarks")
        let sendInitialEvents = try Self.validateWatchListOptions(
            query,
            allowBookmarks: allowBookmarks,
            settings: settings
        )
        var timeout = settings.defaultWatchTimeout
        if let text = query["timeoutSeconds"], let seconds = Int(text), seconds > 0 {
            timeout = .seconds(seconds)
        }
        if let cap = settings.maxWatchTimeout {
            timeout = min(timeout, cap)
        }
        let plan = WatchPlan(
            resource: resource,
            filter: filter,
            start: start,
            sendInitialEvents: sendInitialEvents,
            allowBookmarks: allowBookmarks,
            timeout: timeout,
            bookmarkInterval: settings.bookmarkInterval,
            bookmarksIncludeZeroValueFields: settings.bookmarksIncludeZeroValueFields,
            format: format
        )
        return KubernetesWatchStream.response(plan: plan, state: self.state, channel: channel)
    }

    private func get(
        _ resource: KubernetesResource,
        namespace: String,
        name: String,
        format: KubernetesObjectFormat
    ) -> Response {
        let stored = self.state.withLock { state in
            state.statistics.getRequests += 1
            state.statistics.tableRequests += format == .object ? 0 : 1
            return state.store.object(resource, namespace: namespace, name: name)
        }
        guard let stored else {
            return KubernetesResponses.status(resource.notFound(name: name))
        }
        if case .table(let version) = format {
            let table = KubernetesTable.single(stored, version: version, includeColumns: true)
            return KubernetesResponses.json(table, contentType: format.contentType)
        }
        return KubernetesResponses.json(KubernetesWire.object(stored, includeTypeMeta: true))
    }

    /// Validates `sendInitialEvents` / `resourceVersionMatch` like the API server's `ValidateListOptions`, and
    /// returns whether initial events were requested.
    private static func validateWatchListOptions(
        _ query: RequestQuery,
        allowBookmarks: Bool,
        settings: FakeKubernetesAPI.Configuration
    ) throws(KubernetesStatus) -> Bool {
        let match = query["resourceVersionMatch"] ?? ""
        guard query["sendInitialEvents"] != nil else {
            if !match.isEmpty {
                throw KubernetesStatus.invalidListOptions([
                    (
                        "resourceVersionMatch",
                        "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"
                    )
                ])
            }
            return false
        }
        let sendInitialEvents = query.isTrue("sendInitialEvents")
        var causes: [(field: String, detail: String)] = []
        if match != "NotOlderThan" {
            causes.append(
                (
                    "resourceVersionMatch",
                    "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"
                )
            )
        }
        if sendInitialEvents && !allowBookmarks {
            causes.append(("allowWatchBookmarks", "sendInitialEvents requires setting allowWatchBookmarks to true"))
        }
        if !settings.watchListEnabled {
            causes.append(
                (
                    "sendInitialEvents",
                    "sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled"
                )
            )
        }
        if !causes.isEmpty {
            throw KubernetesStatus.invalidListOptions(causes)
        }
        return sendInitialEvents
    }

    private static func carriesBearerToken(_ token: String, _ request: Request) -> Bool {
        guard let header = request.headers[.authorization] else { return false }
        let parts = header.split(separator: " ", maxSplits: 1)
        return parts.count == 2 && parts[0].lowercased() == "bearer" && parts[1] == token
    }
}
