/// What the workers of a fake APISIX instance route with: the Admin API's state as it was one worker delay ago.
/// Writes are applied in order, each when its delay has passed; the view is brought up to date lazily whenever it is
/// read (``advance(to:)``).
struct WorkerView: Sendable {
    private struct Pending: Sendable {
        let due: ContinuousClock.Instant
        let objects: APISIXObjects
    }

    /// The configuration the workers use.
    private(set) var applied: APISIXObjects
    private var pending: [Pending] = []

    init(applied: APISIXObjects) {
        self.applied = applied
    }

    /// Records a write that produced `objects` at `now`, to be applied after `delay`.
    mutating func record(_ objects: APISIXObjects, delay: Duration, now: ContinuousClock.Instant) {
        if delay <= .zero, self.pending.isEmpty {
            self.applied = objects
        } else {
            self.pending.append(Pending(due: now + max(delay, .zero), objects: objects))
        }
    }

    /// Applies every write due at or before `now`, in order.
    mutating func advance(to now: ContinuousClock.Instant) {
        let due = self.pending.prefix { $0.due <= now }
        if let last = due.last {
            self.applied = last.objects
            self.pending.removeFirst(due.count)
        }
    }

    /// When the next pending write is applied, or `nil` when none is pending.
    var nextDue: ContinuousClock.Instant? {
        self.pending.first?.due
    }
}
