import Logging

@testable import APISIXSyncExporter

extension SyncTracker {
    /// A tracker given the part of `settings` the exporter gives it (``ExporterSettings/tracker``).
    init(settings: ExporterSettings, targets: [APISIXTarget], metrics: ExporterMetrics, logger: Logger) {
        self.init(settings: settings.tracker, targets: targets, metrics: metrics, logger: logger)
    }
}
