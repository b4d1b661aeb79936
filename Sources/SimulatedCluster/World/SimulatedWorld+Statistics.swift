extension SimulatedWorld {
    /// Counters of a ``SimulatedWorld``.
    public struct Statistics: Sendable, Equatable {
        /// Simulated seconds since the world started.
        public internal(set) var time: Double = 0
        /// Entries added to ``SimulatedWorld/actions`` (including those dropped from it since).
        public internal(set) var actions = 0
        /// EndpointSlice writes (creates, updates and deletes).
        public internal(set) var sliceWrites = 0
        /// EndpointSlice writes that changed a Service port's ready node set.
        public internal(set) var readySetChanges = 0
        /// Pods created (each with a new IP).
        public internal(set) var podsCreated = 0
        /// Scheduled follow-ups not yet done: pod start-ups, terminations, probe recoveries and burst steps.
        public internal(set) var pendingFollowUps = 0
    }
}
