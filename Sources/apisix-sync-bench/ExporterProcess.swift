import AsyncHTTPClient
import Foundation
import Synchronization

/// The real `apisix-sync-exporter` binary run as a child process, with its JSON log lines collected.
final class ExporterProcess: Sendable {
    /// One change the exporter logged at debug level: `change synced` (an exact sample), `change censored` (the end
    /// known only within an interval) or `change ended without sample` (superseded, timeout or unobserved).
    struct Record: Sendable {
        var servicePort: String
        var node: String
        var kind: String
        /// `synced`, `censored`, or the `outcome` of an ended change (`superseded`, `timeout`, `unobserved`).
        var outcome: String
        /// The exact lag (`synced`).
        var lag: Double?
        /// When the exporter logged the record (seconds since 1970).
        var at: Double
        /// The interval the lag lies in (`censored`).
        var lagLower: Double?
        var lagUpper: Double?
        /// A right-censored lower bound: the change was not reflected for at least this long (`superseded`).
        var lagAtLeast: Double?
        /// Why no sample was taken (`unobserved`): `startup`, `relist`, `replayed`, `target_joined`, ...
        var cause: String?
        /// A removal timed from its pod's deletion: the Kubernetes stage and where its deletion moment came from.
        var kubernetesStage: Double? = nil
        var deletionProvenance: String? = nil

        /// The exporter's estimate of when the change happened in Kubernetes: `at` minus the exact lag, the upper
        /// end of a censored interval, or the lower bound of a superseded change; `at` without any of them.
        var estimatedStart: Double {
            at - (lag ?? lagUpper ?? lagAtLeast ?? 0)
        }
    }

    struct State {
        var records: [Record] = []
        var port: Int?
        var buffer = Data()
        var lines = 0
    }

    let process: Process
    let state = Mutex(State())
    let pid: Int32

    /// Starts the binary with `arguments` plus `--log.level <logLevel> --log.format json --web.listen-address
    /// 127.0.0.1:0`; change records are only logged (and collected) at debug level.
    /// - Parameter logFile: a file that receives a copy of the exporter's log (diagnosing a run).
    init(binary: String, arguments: [String], logLevel: String = "debug", logFile: String? = nil) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments =
            ["serve"] + arguments + [
                "--log.level", logLevel, "--log.format", "json", "--web.listen-address", "127.0.0.1:0",
            ]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        self.process = process
        try process.run()
        pid = process.processIdentifier
        let copy = logFile.flatMap { path -> FileHandle? in
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            return FileHandle(forWritingAtPath: path)
        }
        err.fileHandleForReading.readabilityHandler = { [self] handle in
            let data = handle.availableData
            guard !data.isEmpty else { return }
            copy?.write(data)
            self.state.withLock { state in
                state.buffer.append(data)
                while let newline = state.buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = state.buffer[state.buffer.startIndex..<newline]
                    state.buffer.removeSubrange(state.buffer.startIndex...newline)
                    state.lines += 1
                    Self.parse(Data(line), into: &state)
                }
            }
        }
    }

    private static func parse(_ line: Data, into state: inout State) {
        guard let object = try? JSONSerialization.jsonObject(with: line) as? [String: Any],
            let message = object["msg"] as? String
        else { return }
        if state.port == nil, message.hasPrefix("Server started and listening on "),
            let port = message.split(separator: ":").last.flatMap({ Int($0) })
        {
            state.port = port
        }
        let outcome: String
        switch message {
        case "change synced": outcome = "synced"
        case "change censored": outcome = "censored"
        case "change ended without sample": outcome = object["outcome"] as? String ?? "?"
        case "superseded change bound": outcome = "superseded bound"
        default: return
        }
        guard let servicePort = object["service_port"] as? String, let node = object["node"] as? String,
            let kind = object["change"] as? String, let at = (object["at"] as? String).flatMap(Double.init)
        else { return }
        func seconds(_ field: String) -> Double? { (object[field] as? String).flatMap(Double.init) }
        if outcome == "superseded bound" {
            // The lower bound of a change whose `superseded` outcome was logged when it was reverted (it became
            // known when the revert was forgotten without a late write of the change): attach it to that record.
            if let index = state.records.lastIndex(where: {
                $0.servicePort == servicePort && $0.node == node && $0.kind == kind && $0.outcome == "superseded"
                    && $0.lagAtLeast == nil
            }) {
                state.records[index].lagAtLeast = seconds("lag_at_least_seconds")
            }
            return
        }
        state.records.append(
            Record(
                servicePort: servicePort,
                node: node,
                kind: kind,
                outcome: outcome,
                lag: seconds("lag_seconds"),
                at: at,
                lagLower: seconds("lag_lower_seconds"),
                lagUpper: seconds("lag_upper_seconds"),
                lagAtLeast: seconds("lag_at_least_seconds"),
                cause: object["cause"] as? String,
                kubernetesStage: seconds("kubernetes_stage_seconds"),
                deletionProvenance: object["deletion_provenance"] as? String
            )
        )
    }

    var port: Int? { state.withLock { $0.port } }
    var records: [Record] { state.withLock { $0.records } }

    /// Waits for the HTTP port to appear in the logs.
    func waitForPort(timeout: Double = 60) async throws -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let port { return port }
            guard process.isRunning else { throw BenchError("the exporter exited with \(process.terminationStatus)") }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw BenchError("the exporter did not start listening")
    }

    /// Waits until `/-/ready` answers 200.
    func waitUntilReady(http: HTTPClient, port: Int, timeout: Double) async throws {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let response = try? await http.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)/-/ready"),
                timeout: .seconds(30)
            )
            if response?.status == .ok { return }
            guard process.isRunning else { throw BenchError("the exporter exited with \(process.terminationStatus)") }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchError("the exporter never became ready")
    }

    /// Stops the process with SIGTERM and waits for it.
    func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// CPU seconds (user + system) the process used so far, from /proc.
    func cpuSeconds() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After the command: state(0) ppid(1) ... utime(11) stime(12), in clock ticks.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return (user + system) / ticks
    }

    /// Resident set size now and at peak, in bytes, from /proc.
    func memory() -> (rss: Int, peak: Int)? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        func field(_ name: String) -> Int? {
            for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
                return line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) }
                    .map { $0 * 1024 }
            }
            return nil
        }
        guard let rss = field("VmRSS"), let peak = field("VmHWM") else { return nil }
        return (rss, peak)
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
