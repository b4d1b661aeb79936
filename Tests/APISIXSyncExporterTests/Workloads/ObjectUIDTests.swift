import Testing

@testable import APISIXSyncExporter

/// Object uids kept compactly: every text comes back exactly, equal texts are equal uids, different ones are not.
struct ObjectUIDTests {
    @Test(arguments: [
        "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
        "00000000-0000-0000-0000-000000000000",
        "ffffffff-ffff-ffff-ffff-ffffffffffff",
        "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0",  // uppercase: kept as text, not folded
        "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f",  // one digit short
        "0f1e2d3c+4b5a-6978-8796-a5b4c3d2e1f0",
        "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1g0",
        "uid-web-1",
        "",
        "ü-0f1e2d3c-4b5a-6978-8796-a5b4c3d2",
    ])
    func roundTrips(text: String) {
        #expect(ObjectUID(text).text == text)
        #expect(ObjectUID(text) == ObjectUID(text))
    }

    @Test func differentTextsAreDifferentUIDs() {
        let texts = [
            "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
            "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f1",
            "1f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
            "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0",
        ]
        #expect(Set(texts.map(ObjectUID.init)).count == texts.count)
    }
}
