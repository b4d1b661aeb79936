/// Why a change ended `unobserved`: its start, or which change a target applied, is unknown. Listed by cause in
/// `/api/v1/state` (see `docs/measurement.md`).
public enum UnobservedCause: String, Sendable, CaseIterable, Codable, Comparable {
    /// The divergence existed when the exporter first saw the Service port (start-up, a new Service or upstream).
    case startup
    /// The divergence was found by a relist after a watch 410: it happened at an unknown time in the gap.
    case relist
    /// The event was replayed after a slow watch reconnect: it happened at an unknown time in the gap.
    case replayed
    /// The APISIX target appeared (first refresh, a discovered pod) while the change was pending.
    case targetJoined = "target_joined"
    /// The target's upstream mapping of the port changed or vanished, or the target left, while it was pending.
    case mappingChanged = "mapping_changed"
    /// A target already routed the new way when the Kubernetes event arrived (a stale write or a flap).
    case reflectedBeforeChange = "reflected_before_change"
    /// A recent revert no target applied could still be written late: a reflection could be that stale write.
    case unappliedRevert = "unapplied_revert"
    /// The Service port had more pending changes than the bound; the oldest stopped being tracked.
    case pendingLimit = "pending_limit"

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
