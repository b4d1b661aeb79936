import Testing

@testable import APISIXSyncExporter

/// The ingress controller name parsers read a name's `_`-separated parts without splitting it into strings; over
/// random names they agree with the split-based parsing they replaced (kept here as the reference).
@Suite struct IngressControllerNamePartsTests {
    static let pieces = ["a", "web", "0", "1", "80", "00", "+1", "-", "_", "Service", "service", "grpc", "TCP", "é"]

    /// Random names from the pieces above, reproducible by seed.
    static func names(count: Int, seed: UInt64) -> [String] {
        var state = seed
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        // Mostly three or four parts joined by `_` (so that many names parse), otherwise any sequence of pieces.
        func part() -> String { (0..<(next() % 3)).map { _ in pieces[next() % pieces.count] }.joined() }
        return (0..<count).map { _ in
            next() % 4 == 0
                ? (0..<(next() % 8)).map { _ in pieces[next() % pieces.count] }.joined()
                : (0..<(2 + next() % 4)).map { _ in part() }.joined(separator: "_")
        }
    }

    static func referenceParts(_ name: String) -> [String]? {
        let parts = name.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 || parts.count == 4, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
        return parts
    }

    static func reference1x(_ name: String) -> (service: ServiceKey, serviceGranularity: Bool)? {
        guard let parts = referenceParts(name) else { return nil }
        let service = ServiceKey(namespace: parts[0], name: parts[1])
        if parts.count == 3 { return Int(parts[2]) != nil ? (service, false) : nil }
        if parts[3] == "service", Int(parts[2]) != nil { return (service, true) }
        return Int(parts[3]) != nil ? (service, false) : nil
    }

    static func referenceIndex(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            text == "0" || !text.hasPrefix("0")
        else { return nil }
        return Int(text)
    }

    static func reference2x(_ name: String) -> IngressController2xName? {
        guard let parts = referenceParts(name) else { return nil }
        if parts[0] == "Service" {
            guard parts.count == 4, let port = referenceIndex(parts[3]), port <= 65_535 else { return nil }
            return .serviceBackend(service: ServiceKey(namespace: parts[1], name: parts[2]), port: port)
        }
        let pieces = parts[2].split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        let rule: Int
        var match: Int?
        switch pieces.count {
        case 1:
            guard let only = referenceIndex(pieces[0]) else { return nil }
            rule = only
        case 2:
            guard let first = referenceIndex(pieces[0]), let second = referenceIndex(pieces[1]) else { return nil }
            (rule, match) = (first, second)
        default: return nil
        }
        if parts.count == 3 {
            return .routeRule(namespace: parts[0], route: parts[1], rule: rule, match: match, suffix: nil)
        }
        if let suffix = IngressController2xName.Suffix(rawValue: parts[3]) {
            return .routeRule(namespace: parts[0], route: parts[1], rule: rule, match: match, suffix: suffix)
        }
        guard match == nil, let backend = referenceIndex(parts[3]) else { return nil }
        return .apisixRouteBackend(namespace: parts[0], route: parts[1], rule: rule, backend: backend)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func theParsersAgreeWithSplitting(seed: UInt64) {
        var parsed = 0
        var parsed2x = 0
        for name in Self.names(count: 20_000, seed: seed) {
            #expect(UpstreamMapper.underscoreParts(name)?.map(String.init) == Self.referenceParts(name), "\(name)")
            let oneX = UpstreamMapper.ingressControllerName(name)
            let expected = Self.reference1x(name)
            #expect(oneX?.service == expected?.service && oneX?.serviceGranularity == expected?.serviceGranularity)
            let twoX = UpstreamMapper.ingressController2xName(name)
            #expect(twoX == Self.reference2x(name), "\(name)")
            if oneX != nil { parsed += 1 }
            if twoX != nil { parsed2x += 1 }
        }
        // Enough names of each form parse for the agreement to mean something.
        #expect(parsed > 100)
        #expect(parsed2x > 100)
    }

    @Test func theSimulatedWorldsNamesParseAsBefore() {
        for name in [
            "demo_checkout_80", "demo_checkout_0", "demo_checkout_0-0", "Service_demo_checkout_8080", "demo_web_1_80",
        ] {
            let oneX = UpstreamMapper.ingressControllerName(name)
            let expected = Self.reference1x(name)
            #expect(oneX?.service == expected?.service && oneX?.serviceGranularity == expected?.serviceGranularity)
            #expect(UpstreamMapper.ingressController2xName(name) == Self.reference2x(name), "\(name)")
        }
    }

    @Test func namedExamples() {
        #expect(UpstreamMapper.underscoreParts("shop_web_80")?.map(String.init) == ["shop", "web", "80"])
        #expect(UpstreamMapper.underscoreParts("a_b_c_d")?.map(String.init) == ["a", "b", "c", "d"])
        for name in ["", "_", "a_b", "a__b", "_a_b", "a_b_", "a_b_c_d_e", "a_b_c_"] {
            #expect(UpstreamMapper.underscoreParts(name) == nil, "\(name)")
        }
    }
}
