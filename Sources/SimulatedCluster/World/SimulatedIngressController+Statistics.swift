extension SimulatedIngressController {
    /// Counters of a ``SimulatedIngressController``.
    public struct Statistics: Sendable, Equatable {
        /// Notifications received (one per EndpointSlice write).
        public internal(set) var notifications = 0
        /// Notifications that changed a Service port's ready set and were queued for a write.
        public internal(set) var changesQueued = 0
        /// Upstream writes to APISIX (initial creations included).
        public internal(set) var upstreamWrites = 0
        /// Due writes skipped because APISIX already had the node set (a change and its revert coalesced).
        public internal(set) var skippedWrites = 0
        /// Changes queued and not written yet.
        public internal(set) var queuedWrites = 0
        /// Truth records produced so far (including any dropped from ``SimulatedIngressController/truth`` by
        /// ``Configuration/truthLimit``).
        public internal(set) var truthRecords = 0
        /// Whether the controller is paused.
        public internal(set) var paused = false
    }
}
