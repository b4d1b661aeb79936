import Foundation
import Testing

@testable import APISIXSyncExporter

@Suite struct JSONReaderTests {
    /// Skips a whole document; nil when it is valid, else the failure.
    func validate(_ text: String) -> JSONReader.Failure? {
        validate(Data(text.utf8))
    }

    func validate(_ data: Data) -> JSONReader.Failure? {
        do {
            try JSONReader.read(data) { reader throws(JSONReader.Failure) in
                try reader.skipValue()
                try reader.expectEnd()
            }
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        "{}", "[]", "null", "true", "false", "0", "-0", "12.5e-3", "1E+2", "\"\"", " { \"a\" : [ 1 , { } , \"x\" ] } ",
        "\"\\u00e9\\ud83d\\ude00\\n\\\"\\\\\\/\"", "[[[[]]]]",
    ])
    func acceptsValidDocuments(text: String) {
        #expect(validate(text) == nil)
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "01", "1.", ".5", "-", "1e", "+1", "tru", "nul", "\"abc",
        "\"\\x\"", "\"\\ud800\"", "\"\\u12\"", "\"tab\there\"", "[1] [2]", "{\"a\":1}}", "[\"a\"", "'a'", "NaN",
    ])
    func rejectsInvalidDocuments(text: String) {
        #expect(validate(text) != nil)
    }

    /// `skipContainer()` on the first value of `text`: its range, or the failure.
    func skipContainer(_ text: String) -> Result<Range<Int>, JSONReader.Failure> {
        Result { () throws(JSONReader.Failure) -> Range<Int> in
            try JSONReader.read(Data(text.utf8)) { reader throws(JSONReader.Failure) in try reader.skipContainer() }
        }
    }

    @Test(arguments: [
        "{}", "[]", " { \"a\" : [ 1 , { } , \"x\" ] } ", "[[[[]]]]", #"{"a":"}]\"{[","b":["\\",{"c":"\\\""}]}"#,
        #"{"nodes":[{"host":"10.0.0.1","port":80,"weight":1}],"name":"shop_web_80"}"#,
    ])
    func skipContainerEndsWhereTheStrictSkipEnds(text: String) throws {
        let strict = try JSONReader.read(Data((text + ",1").utf8)) { reader throws(JSONReader.Failure) in
            try reader.skipValue()
        }
        #expect(try skipContainer(text + ",1").get() == strict)
    }

    @Test(arguments: [
        "", "1", "\"a\"", "{", "[}", "{]", "{\"a\":[1}]", "{\"a\":\"}", #"{"a":"\"}"#, "]", "[[]",
    ])
    func skipContainerRejectsWhatHasNoBalancedStructure(text: String) {
        #expect(throws: JSONReader.Failure.self) { try skipContainer(text).get() }
    }

    @Test func skipContainerLeavesScalarsToTheDecoderAndHonoursTheDepthLimit() {
        // Scalars are not validated: the range is decoded strictly when it is needed.
        #expect((try? skipContainer("{\"a\":tru}").get()) == 0..<9)
        #expect(
            (try? skipContainer(String(repeating: "[", count: 256) + String(repeating: "]", count: 256)).get()) != nil
        )
        #expect(
            (try? skipContainer(String(repeating: "[", count: 257) + String(repeating: "]", count: 257)).get()) == nil
        )
    }

    @Test func rejectsInvalidUTF8AndDeepNesting() {
        #expect(validate(Data([0x22, 0xFF, 0xFE, 0x22])) != nil)
        #expect(validate(String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)) != nil)
        #expect(validate(String(repeating: "[", count: 100) + String(repeating: "]", count: 100)) == nil)
    }

    @Test func readsStringsWithEscapes() throws {
        let text = try JSONReader.read(Data("\"a\\u00e9\\ud83d\\ude00\\tb\"".utf8)) {
            reader throws(JSONReader.Failure) in
            try reader.readString()
        }
        #expect(text == "aé😀\tb")
    }

    @Test func readsIntegersAndWholeNumbersOnly() throws {
        func int(_ text: String) -> Int? {
            try? JSONReader.read(Data(text.utf8)) { reader throws(JSONReader.Failure) in try reader.readInt() }
        }
        #expect(int("42") == 42)
        #expect(int("-7") == -7)
        #expect(int("8080.0") == 8080)
        #expect(int("1e3") == 1000)
        #expect(int("80.5") == nil)
        #expect(int("1e300") == nil)
    }

    @Test func objectBodiesMayIgnoreValuesAndTheReaderSkipsThem() throws {
        var keys: [String] = []
        var b: Int?
        try JSONReader.read(Data("{\"a\": {\"x\":[1,2]}, \"b\": 2, \"c\" : \"s\"}".utf8)) {
            reader throws(JSONReader.Failure) in
            try reader.readObject { reader, key throws(JSONReader.Failure) in
                keys.append(key.text)
                if key == "b" { b = try reader.readInt() }
                if key == "c" { _ = try reader.kind() }  // looked at, not read: still skipped
            }
            try reader.expectEnd()
        }
        #expect(keys == ["a", "b", "c"])
        #expect(b == 2)
    }

    /// Keys are matched by their text, whatever their spelling: escapes and non-ASCII keys are decoded first.
    @Test func keysMatchLiteralsByTheirText() throws {
        let json = #"{"name":1,"n\u0061me":2,"nam":3,"names":4,"café":5,"caf\u00e9":6,"":7,"a\"b":8}"#
        var matched: [String: [Int]] = [:]
        var texts: [String] = []
        try JSONReader.read(Data(json.utf8)) { reader throws(JSONReader.Failure) in
            try reader.readObject { reader, key throws(JSONReader.Failure) in
                texts.append("\(key)")
                let value = try reader.readInt()
                switch key {
                case "name": matched["name", default: []].append(value)
                case "café": matched["café", default: []].append(value)
                case "": matched["", default: []].append(value)
                case #"a"b"#: matched[#"a"b"#, default: []].append(value)
                default: #expect(key != "name")
                }
            }
        }
        #expect(matched == ["name": [1, 2], "café": [5, 6], "": [7], #"a"b"#: [8]])
        #expect(texts == ["name", "name", "nam", "names", "café", "café", "", #"a"b"#])
        // A key is validated like any string: invalid UTF-8 or a bad escape fails the object.
        for bad in [Data([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]), Data(#"{"\x":1}"#.utf8)] {
            #expect(throws: JSONReader.Failure.self) {
                try JSONReader.read(bad) { reader throws(JSONReader.Failure) in
                    try reader.readObject { reader, _ throws(JSONReader.Failure) in try reader.skipValue() }
                }
            }
        }
    }

    /// The key reader of etcd nodes builds only the last segment; it must agree with `keyID` of the whole string.
    @Test(arguments: [
        #""/apisix/upstreams/1""#, #""/apisix/upstreams/demo_checkout_80/""#, #""plain""#, #""""#, #""///""#,
        #""/a\/b""#, #""/apisix/upstreams/caf\u00e9""#, #""/apisix/upstreams/café""#, #""/x//y//""#,
    ])
    func keyIDOfTheRawStringAgreesWithKeyID(json: String) throws {
        let fast = try JSONReader.read(Data(json.utf8)) { reader throws(JSONReader.Failure) in
            try reader.readKeyID()
        }
        let general = try JSONReader.read(Data(json.utf8)) { reader throws(JSONReader.Failure) in
            JSONReader.keyID(try reader.readString())
        }
        #expect(fast == general)
    }

    @Test func keyIDRejectsInvalidUTF8AnywhereInTheKey() {
        var bytes = Array(#""/apisix/upstreams/1""#.utf8)
        bytes[3] = 0xFF
        #expect(throws: JSONReader.Failure.self) {
            try JSONReader.read(bytes) { reader throws(JSONReader.Failure) in try reader.readKeyID() }
        }
    }
}
