import Foundation

/// The exporter process's own resource use, exposed as the standard `process_*` metrics that Prometheus client
/// libraries write (`process_cpu_seconds_total`, `process_resident_memory_bytes`, ...).
public struct ProcessMetrics: Sendable, Equatable {
    /// User plus system CPU time, in seconds.
    public var cpuSeconds: Double
    public var residentMemoryBytes: Double
    public var virtualMemoryBytes: Double
    /// Unix time the process started, in seconds.
    public var startTime: Double
    public var openFileDescriptors: Double?
    public var maxFileDescriptors: Double?

    public init(
        cpuSeconds: Double,
        residentMemoryBytes: Double,
        virtualMemoryBytes: Double,
        startTime: Double,
        openFileDescriptors: Double? = nil,
        maxFileDescriptors: Double? = nil
    ) {
        self.cpuSeconds = cpuSeconds
        self.residentMemoryBytes = residentMemoryBytes
        self.virtualMemoryBytes = virtualMemoryBytes
        self.startTime = startTime
        self.openFileDescriptors = openFileDescriptors
        self.maxFileDescriptors = maxFileDescriptors
    }

    /// Reads the fields of a Linux `/proc/<pid>/stat` line (see proc(5)); nil when the line does not have them.
    ///
    /// - Parameters:
    ///   - clockTicks: `sysconf(_SC_CLK_TCK)`, the unit of the CPU times and the start time.
    ///   - pageSize: the unit of the resident set size.
    ///   - bootTime: `btime` from `/proc/stat`, the Unix time the start time counts from.
    public static func parse(stat: String, clockTicks: Double, pageSize: Double, bootTime: Double) -> ProcessMetrics? {
        // The command name (field 2) is in parentheses and may contain spaces or ')': split after the last ')'.
        guard clockTicks > 0, let close = stat.utf8.lastIndex(of: UInt8(ascii: ")")) else { return nil }
        let fields = stat.utf8[stat.utf8.index(after: close)...].split(separator: UInt8(ascii: " "))
        // fields[0] is field 3 (state): field n is fields[n - 3].
        func field(_ number: Int) -> Double? {
            let index = number - 3
            guard index < fields.count, let text = String(fields[index]) else { return nil }
            return Double(text)
        }
        guard let user = field(14), let system = field(15), let start = field(22), let virtual = field(23),
            let resident = field(24)
        else { return nil }
        return ProcessMetrics(
            cpuSeconds: (user + system) / clockTicks,
            residentMemoryBytes: resident * pageSize,
            virtualMemoryBytes: virtual,
            startTime: bootTime + start / clockTicks
        )
    }

    /// Reads `btime` from the text of `/proc/stat`.
    public static func bootTime(procStat: String) -> Double? {
        for line in procStat.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst("btime ".count).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }
}
