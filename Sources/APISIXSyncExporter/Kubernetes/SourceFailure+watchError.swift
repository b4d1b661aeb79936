extension SourceFailure {
    /// The failure a watch `ERROR` event stands for: a 410 is an expired resourceVersion (relist), other codes map as
    /// their HTTP status would.
    init(watchError status: KubernetesStatus) {
        if status.code == 410 {
            self.init(.expired, status.message ?? "resourceVersion expired")
        } else {
            self.init(
                SourceFailure.reason(forStatus: status.code ?? 500),
                "watch ERROR event: \(status.message ?? "no message")"
            )
        }
    }
}
