import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension ProcessMetrics {
    /// `btime` of `/proc/stat`, read once: it does not change while the system runs.
    private static let systemBootTime: Double? = {
        #if os(Linux)
        (try? String(contentsOfFile: "/proc/stat", encoding: .utf8)).flatMap(bootTime(procStat:))
        #else
        nil
        #endif
    }()

    /// The current process's metrics from `/proc/self`; nil where there is no procfs (macOS) or it cannot be read.
    public static func current() -> ProcessMetrics? {
        #if os(Linux)
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let boot = systemBootTime,
            var metrics = parse(
                stat: stat,
                clockTicks: Double(sysconf(Int32(_SC_CLK_TCK))),
                pageSize: Double(sysconf(Int32(_SC_PAGESIZE))),
                bootTime: boot
            )
        else { return nil }
        if let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            metrics.openFileDescriptors = Double(descriptors.count)
        }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max {
            metrics.maxFileDescriptors = Double(limit.rlim_cur)
        }
        return metrics
        #else
        return nil
        #endif
    }
}
