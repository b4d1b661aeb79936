/// A revert of a change that no APISIX target had applied yet (a "ghost"): the controller may still write the
/// reverted change late, so the node's next change cannot be timed, and a late stale write is tracked as a change of
/// its own (see `docs/measurement.md`, "Late stale writes").
struct UnappliedRevert: Sendable {
    /// The change the revert superseded, when its start was known: if a target applies it late, that is its lag;
    /// otherwise only its lower bound is known when the revert is forgotten.
    struct Reverted: Sendable {
        var kind: ChangeKind
        var since: Timestamp
        var atLeast: Double
    }

    /// The kind of the revert (an `add` reverts a removal).
    var kind: ChangeKind
    /// When the revert arrived.
    var since: Timestamp
    /// False when the revert's time is not known (it was found by a relist, or a watch 410 came after it): a late
    /// stale write is then tracked but not timed.
    var timed: Bool
    var reverted: Reverted?
}
