import Hummingbird
import NIOCore

/// The request context of the fake servers: Hummingbird's basic context plus the connection's channel, which the
/// fakes need to notice a client going away and to drop connections on purpose.
struct FakeRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connection the request arrived on.
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// Sleeps for `duration`, returning early when the connection closes (e.g. because the server is stopping)
    /// or the task is cancelled.
    func sleep(for duration: Duration) async {
        let (closed, continuation) = AsyncStream<Void>.makeStream()
        self.channel.closeFuture.whenComplete { _ in
            continuation.yield()
            continuation.finish()
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await Task.sleep(for: duration)
            }
            group.addTask {
                for await _ in closed {
                    break
                }
            }
            await group.next()
            group.cancelAll()
        }
        continuation.finish()
    }
}
