extension PodTemplateSummary {
    /// The container that serves a port: the one declaring it as a `containerPort`, else the only container; nil
    /// when several containers could.
    public func container(serving port: Int) -> ContainerSummary? {
        if let declared = containers.first(where: { $0.ports.contains(port) }) { return declared }
        return containers.count == 1 ? containers.first : nil
    }
}
