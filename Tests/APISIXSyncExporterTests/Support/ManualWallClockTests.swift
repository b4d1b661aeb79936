import Testing

@testable import APISIXSyncExporter

@Suite(.timeLimit(.minutes(1))) struct ManualWallClockTests {
    @Test func advancingResumesTheSleepersWhoseDeadlinePassed() async throws {
        let clock = ManualWallClock(now: 100)
        let early = Task { try await clock.sleep(until: 105) }
        let late = Task { try await clock.sleep(until: 110) }
        try await clock.waitForSleepers(count: 2)
        #expect(clock.nextDeadline == 105)
        clock.advance(to: 104.9)
        #expect(clock.sleeperCount == 2)
        clock.advance(by: 0.1)
        try await early.value
        #expect(clock.sleeperCount == 1)
        #expect(clock.nextDeadline == 110)
        clock.advance(to: 200)
        try await late.value
        #expect(clock.sleeperCount == 0)
        #expect(clock.now() == 200)
    }

    @Test func timeNeverGoesBackwards() {
        let clock = ManualWallClock(now: 100)
        clock.advance(to: 50)
        #expect(clock.now() == 100)
        clock.advance(by: -1)
        #expect(clock.now() == 100)
    }

    @Test func aDeadlineThatPassedReturnsAtOnce() async throws {
        let clock = ManualWallClock(now: 100)
        try await clock.sleep(until: 100)
        try await clock.sleep(until: 3)
        #expect(clock.sleeperCount == 0)
    }

    @Test func cancellingASleeperThrowsAndRemovesIt() async throws {
        let clock = ManualWallClock(now: 0)
        let sleeper = Task { try await clock.sleep(until: 10) }
        try await clock.waitForSleepers(count: 1)
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test func aCancelledTaskDoesNotSleep() async throws {
        let clock = ManualWallClock(now: 0)
        let sleeper = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await clock.sleep(until: 10)
        }
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(clock.sleeperCount == 0)
    }

    @Test func waitingForSleepersEndsWhenEnoughSleep() async throws {
        let clock = ManualWallClock(now: 0)
        let waiter = Task { try await clock.waitForSleepers(count: 2) }
        let first = Task { try await clock.sleep(until: 1) }
        let second = Task { try await clock.sleep(until: 2) }
        try await waiter.value
        #expect(clock.sleeperCount == 2)
        clock.advance(to: 2)
        try await first.value
        try await second.value
        // Already satisfied: returns at once.
        try await clock.waitForSleepers(count: 0)
    }

    @Test func cancellingAWaiterThrows() async throws {
        let clock = ManualWallClock(now: 0)
        let waiter = Task { try await clock.waitForSleepers(count: 1) }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
    }

    @Test func theSystemClockSleepsUntilADeadline() async throws {
        let clock = SystemWallClock()
        try await clock.sleep(until: clock.now() - 1)
        let task = Task { try await clock.sleep(until: clock.now() + 3600) }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }
}
