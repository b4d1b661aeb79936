import SimulatedCluster
import Testing

extension SimulatedClusterTests {
    @Suite struct WorldRandomnessTests {
        @Test func seededGeneratorRepeatsPerSeed() {
            var first = SeededGenerator(seed: 42)
            var second = SeededGenerator(seed: 42)
            var other = SeededGenerator(seed: 43)
            let a = (0..<100).map { _ in first.next() }
            let b = (0..<100).map { _ in second.next() }
            let c = (0..<100).map { _ in other.next() }
            #expect(a == b)
            #expect(a != c)
            #expect(Set(a).count == 100)
            #expect(SeededGenerator.derivedSeed(42, stream: 1) != SeededGenerator.derivedSeed(42, stream: 2))
            #expect(SeededGenerator.derivedSeed(42, stream: 1) == SeededGenerator.derivedSeed(42, stream: 1))
        }

        @Test func logNormalHasTheRequestedMedianAndP99() {
            let distribution = LagDistribution.logNormal(median: 0.6, p99: 3, slowOutlierProbability: 0)
            #expect(abs(distribution.median - 0.6) < 1e-9)
            #expect(abs(distribution.p99 - 3) < 1e-6)
            var generator = SeededGenerator(seed: 7)
            let samples = (0..<50_000).map { _ in distribution.sample(using: &generator) }.sorted()
            let median = samples[samples.count / 2]
            let p99 = samples[samples.count * 99 / 100]
            #expect(abs(median - 0.6) / 0.6 < 0.03, "median \(median)")
            #expect(abs(p99 - 3) / 3 < 0.06, "p99 \(p99)")
            #expect(samples.first.map { $0 >= LagDistribution.minimum } == true)
        }

        @Test func slowOutliersAreRareAndInTheirRange() {
            let distribution = LagDistribution.logNormal(median: 0.2, p99: 1)
            #expect(distribution.slowOutlierProbability == 0.01)
            #expect(distribution.slowOutlierRange == 6...12)
            var generator = SeededGenerator(seed: 11)
            let samples = (0..<50_000).map { _ in distribution.sample(using: &generator) }
            let outliers = samples.filter { $0 >= 6 }
            #expect((400...600).contains(outliers.count), "\(outliers.count) outliers")
            #expect(outliers.allSatisfy { $0 <= 12 })
        }

        @Test func fixedAndSequenceDistributions() {
            var generator = SeededGenerator(seed: 1)
            #expect(LagDistribution.fixed(0.25).sample(using: &generator) == 0.25)
            #expect(LagDistribution.fixed(0).sample(using: &generator) == LagDistribution.minimum)
            let sequence = LagDistribution.sequence([0.3, 0.05])
            let copy = sequence
            #expect(sequence.sample(using: &generator) == 0.3)
            #expect(copy.sample(using: &generator) == 0.05)
            #expect(sequence.sample(using: &generator) == 0.3)
            #expect(LagDistribution.sequence([]).sample(using: &generator) == LagDistribution.minimum)
        }

        @Test func crc32MatchesTheIEEECheckValuesAndTheIngressControllerIDs() {
            #expect(CRC32.checksum("123456789") == 0xCBF4_3926)
            #expect(CRC32.checksum("") == 0)
            #expect(SimulatedIngressController.upstreamID(name: "apis_sa-front-service_80") == "4405a246")
            #expect(
                SimulatedIngressController.upstreamName(namespace: "demo", service: "cart", port: 80) == "demo_cart_80"
            )
            // No zero padding: ids can be shorter than 8 hex digits.
            let name = (0..<10_000).lazy.map { "ns_svc-\($0)_80" }.first { CRC32.checksum($0) < 0x1000_0000 }
            #expect(name.map { SimulatedIngressController.upstreamID(name: $0).count < 8 } == true)
        }
    }
}
