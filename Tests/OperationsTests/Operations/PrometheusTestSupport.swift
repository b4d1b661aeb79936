import AsyncHTTPClient
import Foundation
import NIOCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process a test owns (the demo, Prometheus), with its output; `stop()` ends it, SIGKILL after a grace
/// period. Call `stop()` in a `defer` so that a failing test leaves nothing running.
final class PrometheusTestProcess {
    final class Output: Sendable {
        let text = Mutex("")
    }

    let name: String
    let output = Output()
    private let process = Process()
    private let pipe = Pipe()

    init(name: String, executable: String, arguments: [String], directory: URL? = nil) throws {
        self.name = name
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = pipe
        process.standardError = pipe
        let output = output
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            output.text.withLock { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
    }

    var isRunning: Bool { process.isRunning }
    var text: String { output.text.withLock { $0 } }

    /// The last lines of the output, for failure messages.
    var tail: String {
        "\(name) output (last lines):\n" + text.split(separator: "\n").suffix(15).joined(separator: "\n")
    }

    /// Waits until `pattern`'s first capture appears in the output; nil when the process exits or time runs out.
    func waitForOutput(
        _ pattern: Regex<(Substring, Substring)>,
        timeout: Duration = .seconds(30)
    ) async throws -> String? {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let match = text.firstMatch(of: pattern) { return String(match.1) }
            guard process.isRunning else { return nil }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// SIGTERM, then SIGKILL if it has not exited within `grace`.
    func stop(grace: Duration = .seconds(10)) {
        if process.isRunning {
            process.terminate()
            let deadline = ContinuousClock.now + grace
            while process.isRunning, ContinuousClock.now < deadline { usleep(10_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        pipe.fileHandleForReading.readabilityHandler = nil
    }
}

/// Polls `condition` until it returns true or `timeout` passes; returns whether it held.
func prometheusEventually(
    timeout: Duration,
    every interval: Duration = .milliseconds(250),
    _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while true {
        if try await condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try await Task.sleep(for: interval)
    }
}

/// The parts of Prometheus's HTTP API (`/api/v1/...`) the live test reads.
struct PrometheusAPI {
    let baseURL: String
    var http: HTTPClient { .shared }

    struct Response<Payload: Decodable>: Decodable {
        let status: String
        let data: Payload?
        let errorType: String?
        let error: String?
    }

    struct QueryResult: Decodable {
        struct Sample: Decodable {
            let metric: [String: String]
            let value: Double?

            enum CodingKeys: String, CodingKey { case metric, value }

            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                metric = try container.decodeIfPresent([String: String].self, forKey: .metric) ?? [:]
                if var pair = try? container.nestedUnkeyedContainer(forKey: .value) {
                    _ = try pair.decode(Double.self)
                    value = Double(try pair.decode(String.self))
                } else {
                    value = nil
                }
            }
        }

        let resultType: String
        let result: [Sample]

        enum CodingKeys: String, CodingKey { case resultType, result }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            resultType = try container.decode(String.self, forKey: .resultType)
            if resultType == "vector" || resultType == "matrix" {
                result = try container.decode([Sample].self, forKey: .result)
            } else {
                result = []  // a scalar or string result counts as one value
            }
        }

        var isEmpty: Bool { (resultType == "vector" || resultType == "matrix") && result.isEmpty }
    }

    struct Targets: Decodable {
        struct Target: Decodable {
            let labels: [String: String]
            let scrapeUrl: String
            let health: String
            let lastError: String
        }
        let activeTargets: [Target]
    }

    struct Rules: Decodable {
        struct Group: Decodable {
            let name: String
            let rules: [Rule]
        }
        struct Rule: Decodable {
            let name: String
            let query: String
            let health: String
            let lastError: String?
            let type: String
        }
        let groups: [Group]
    }

    struct Alerts: Decodable {
        struct Alert: Decodable {
            let labels: [String: String]
            let state: String
        }
        let alerts: [Alert]
    }

    enum APIError: Error, CustomStringConvertible {
        case http(String, Int, String)
        case api(String, String)

        var description: String {
            switch self {
            case .http(let path, let status, let body): "\(path): HTTP \(status): \(body)"
            case .api(let query, let error): "\(query): \(error)"
            }
        }
    }

    func get(_ path: String) async throws -> (status: Int, body: Data) {
        let response = try await http.execute(HTTPClientRequest(url: baseURL + path), timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 64 << 20)
        return (Int(response.status.code), Data(body.readableBytesView))
    }

    func decode<Payload: Decodable>(_ path: String, as type: Payload.Type) async throws -> Payload {
        let (status, body) = try await get(path)
        guard status == 200 else { throw APIError.http(path, status, String(decoding: body, as: UTF8.self)) }
        let response = try JSONDecoder().decode(Response<Payload>.self, from: body)
        guard response.status == "success", let data = response.data else {
            throw APIError.api(path, response.error ?? "status \(response.status)")
        }
        return data
    }

    func targets() async throws -> [Targets.Target] {
        try await decode("/api/v1/targets?state=active", as: Targets.self).activeTargets
    }

    func rules() async throws -> [Rules.Rule] {
        try await decode("/api/v1/rules", as: Rules.self).groups.flatMap(\.rules)
    }

    func alerts() async throws -> [Alerts.Alert] {
        try await decode("/api/v1/alerts", as: Alerts.self).alerts
    }

    /// An instant query (POSTed as a form, so the expression needs no URL escaping of its own); a PromQL error
    /// throws.
    func query(_ expression: String) async throws -> QueryResult {
        var request = HTTPClientRequest(url: baseURL + "/api/v1/query")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let unreserved = CharacterSet(
            charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~"
        )
        let encoded = expression.addingPercentEncoding(withAllowedCharacters: unreserved) ?? expression
        request.body = .bytes(ByteBuffer(string: "query=" + encoded))
        let response = try await http.execute(request, timeout: .seconds(10))
        let body = Data(try await response.body.collect(upTo: 64 << 20).readableBytesView)
        let decoded = try? JSONDecoder().decode(Response<QueryResult>.self, from: body)
        guard response.status.code == 200, let decoded, decoded.status == "success", let data = decoded.data else {
            throw APIError.api(expression, decoded?.error ?? String(decoding: body, as: UTF8.self))
        }
        return data
    }
}
