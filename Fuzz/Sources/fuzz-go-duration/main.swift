import APISIXSyncExporter
import FuzzDriver

// One input is a flag value such as `--apisix.poll-interval=1m30s`. Whatever parses must format, and the formatted
// text must parse again (the exporter prints its settings with `format`).
FuzzDriver.run { bytes in
    let input = String(decoding: bytes, as: UTF8.self)
    let duration: Duration
    do throws(GoDuration.ParseError) {
        duration = try GoDuration.parse(input)
    } catch {
        _ = error.description
        return
    }
    let text = GoDuration.format(duration)
    let seconds = (try? GoDuration.parseSeconds(input)) ?? 0
    _ = GoDuration.format(seconds: seconds)
    do {
        _ = try GoDuration.parse(text)
    } catch {
        fatalError("GoDuration.format(\(duration)) gave \"\(text)\", which does not parse: \(error)")
    }
}
