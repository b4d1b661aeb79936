import Foundation

/// How the fake Kubernetes API encodes EndpointSlices for a request, negotiated from its `Accept` header.
enum KubernetesObjectFormat: Sendable, Equatable {
    /// The objects themselves (`application/json`).
    case object
    /// A server-side printed `Table` of group `meta.k8s.io` in `version` (`v1` or `v1beta1`), as `kubectl get`
    /// asks for with `Accept: application/json;as=Table;v=v1;g=meta.k8s.io,...,application/json`.
    case table(version: String)

    /// The first format of `accept` the fake can produce; `application/json` when there is no header or no
    /// entry matches (the fake is lenient where the API server would answer 406). Entries asking for other
    /// transformations (`as=PartialObjectMetadataList`, aggregated discovery) or other encodings (protobuf, YAML)
    /// are skipped.
    init(accept: String?) {
        self = .object
        guard let accept else { return }
        for entry in accept.split(separator: ",") {
            let parts = entry.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let type = parts.first?.lowercased(), ["application/json", "application/*", "*/*"].contains(type)
            else { continue }
            var parameters: [String: String] = [:]
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map(String.init)
                if pair.count == 2 {
                    parameters[pair[0].lowercased()] = pair[1]
                }
            }
            switch (parameters["as"], parameters["g"], parameters["v"]) {
            case (nil, _, _):
                return
            case ("Table", "meta.k8s.io", let version?) where version == "v1" || version == "v1beta1":
                self = .table(version: version)
                return
            default:
                continue
            }
        }
    }

    /// The `Content-Type` of a list or get response in this format.
    var contentType: String {
        switch self {
        case .object: return "application/json"
        case .table(let version): return "application/json;as=Table;v=\(version);g=meta.k8s.io"
        }
    }
}
