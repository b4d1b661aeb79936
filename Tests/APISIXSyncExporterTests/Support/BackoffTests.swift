import Testing

@testable import APISIXSyncExporter

@Suite struct BackoffTests {
    @Test func growsExponentiallyUpToTheCapWithJitter() {
        var backoff = Backoff(initial: 1, maximum: 8)
        var generator = SystemRandomNumberGenerator()
        let delays = (0..<8).map { _ in backoff.next(using: &generator) }
        #expect((0.5...1).contains(delays[0]))
        #expect((1...2).contains(delays[1]))
        #expect((2...4).contains(delays[2]))
        #expect(delays[5...].allSatisfy { (4...8).contains($0) })
        backoff.reset()
        #expect((0.5...1).contains(backoff.next(using: &generator)))
    }
}
