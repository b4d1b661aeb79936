/// The simulated world's schedule: events ordered by simulated time, ties broken by scheduling order, so that a
/// run is repeatable for a seed.
struct WorldTimeline: Sendable {
    /// Something scheduled to happen.
    enum Event: Sendable, Equatable {
        /// The churn loop's next action for a Service.
        case churn(service: Int)
        /// A created pod has started and becomes ready.
        case podStarted(service: Int, pod: String)
        /// A terminating pod's termination period is over: it leaves its slice.
        case podDeleted(service: Int, pod: String)
        /// The endpoint controller catches up with a pod deletion: the endpoint turns terminating.
        case endpointTerminating(service: Int, pod: String)
        /// A deleted pod's containers have stopped: the pod object goes away (its endpoint follows).
        case podGone(service: Int, pod: String)
        /// A pod whose readiness probe failed passes it again.
        case probeRecovered(service: Int, pod: String)
        /// The next step of a burst.
        case burstStep(service: Int, step: Int, count: Int)
        /// The end of a burst: every pod whose probe the burst failed recovers.
        case burstRecovered(service: Int)

        /// Whether this is the churn loop's own schedule rather than a follow-up of an action.
        var isChurn: Bool {
            if case .churn = self { return true }
            return false
        }
    }

    /// An event and when it is due.
    struct Entry: Sendable {
        let time: Double
        let sequence: Int
        let event: Event
    }

    private var entries: [Entry] = []
    private var nextSequence = 0

    /// Schedules `event` at simulated time `time` (after the events already scheduled for the same time).
    mutating func schedule(_ event: Event, at time: Double) {
        let entry = Entry(time: time, sequence: self.nextSequence, event: event)
        self.nextSequence += 1
        var low = 0
        var high = self.entries.count
        while low < high {
            let middle = (low + high) / 2
            if self.entries[middle].time <= time {
                low = middle + 1
            } else {
                high = middle
            }
        }
        self.entries.insert(entry, at: low)
    }

    /// When the next event is due, or `nil` when nothing is scheduled.
    var nextTime: Double? {
        self.entries.first?.time
    }

    /// Removes and returns the next event if it is due at or before `time`.
    mutating func popNext(notAfter time: Double) -> Entry? {
        guard let first = self.entries.first, first.time <= time else { return nil }
        return self.entries.removeFirst()
    }

    /// The number of scheduled events that are not churn (pod start-ups, terminations, recoveries, burst steps).
    var pendingFollowUps: Int {
        self.entries.count { !$0.event.isChurn }
    }
}
