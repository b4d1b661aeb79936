import Hummingbird
import NIOCore

/// Streams one watch response: `HTTP 200`, `Content-Type: application/json`, a chunked body with one JSON event
/// per line.
enum KubernetesWatchStream {
    private struct Aborted: Error {}

    private enum Outcome {
        case finished
        case clientGone
    }

    /// The response for a watch described by `plan`.
    static func response(
        plan: WatchPlan,
        state: ObservedState<KubernetesClusterState>,
        channel: any Channel
    ) -> Response {
        let body = ResponseBody { writer in
            try await self.stream(plan: plan, state: state, channel: channel, writer: &writer)
        }
        return Response(status: .ok, headers: KubernetesResponses.headers(), body: body)
    }

    private static func stream(
        plan: WatchPlan,
        state: ObservedState<KubernetesClusterState>,
        channel: any Channel,
        writer: inout any ResponseBodyWriter
    ) async throws {
        let (signals, continuation) = AsyncStream<WatchSignal>.makeStream()
        let (id, isLive) = state.withLock { $0.openWatch(plan, continuation: continuation) }
        defer { state.withLock { $0.closeWatch(id: id) } }
        channel.closeFuture.whenComplete { _ in
            continuation.yield(.clientGone)
        }
        let outcome = try await withThrowingTaskGroup(of: Void.self) { group in
            if isLive {
                group.addTask {
                    try await Task.sleep(for: plan.timeout)
                    state.withLock { $0.expireWatch(id: id) }
                }
                if plan.allowBookmarks, plan.bookmarkInterval > .zero {
                    group.addTask {
                        while true {
                            try await Task.sleep(for: plan.bookmarkInterval)
                            state.withLock { $0.sendBookmark(to: id) }
                        }
                    }
                }
            }
            defer { group.cancelAll() }
            return try await self.pump(signals, into: &writer) {
                state.withLock { $0.settings.splitEventsAcrossChunks }
            }
        }
        if outcome == .finished {
            try await writer.finish(nil)
        }
    }

    private static func pump(
        _ signals: AsyncStream<WatchSignal>,
        into writer: inout any ResponseBodyWriter,
        splitLines: () -> Bool
    ) async throws -> Outcome {
        for await signal in signals {
            switch signal {
            case .line(let line):
                for part in splitLines() ? self.split(line) : [line] {
                    try await writer.write(ByteBuffer(bytes: part))
                }
            case .end:
                return .finished
            case .abort:
                throw Aborted()
            case .clientGone:
                return .clientGone
            }
        }
        return .finished
    }

    /// Splits `line` into 2–3 parts at random byte offsets (lines shorter than 3 bytes stay whole).
    static func split(_ line: [UInt8]) -> [[UInt8]] {
        guard line.count >= 3 else { return [line] }
        var cuts = Set<Int>()
        let partCount = Int.random(in: 2...3)
        while cuts.count < partCount - 1 {
            cuts.insert(Int.random(in: 1..<line.count))
        }
        var parts: [[UInt8]] = []
        var start = 0
        for cut in cuts.sorted() {
            parts.append(Array(line[start..<cut]))
            start = cut
        }
        parts.append(Array(line[start...]))
        return parts
    }
}
