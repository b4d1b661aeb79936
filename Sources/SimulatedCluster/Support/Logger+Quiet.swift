import Logging

extension Logger {
    /// A logger that only lets warnings and errors through, the default for the fake servers.
    static func quiet(label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = .warning
        return logger
    }
}
