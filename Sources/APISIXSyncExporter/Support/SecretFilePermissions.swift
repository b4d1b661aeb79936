import Foundation
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether a file holding a secret (the Admin API key) can be read by more than the exporter.
///
/// Readable by others is always reported. Readable by the group is reported unless the group is the exporter's own
/// effective group: a Kubernetes Secret volume with `fsGroup` is group-readable by the pod's group by design (the
/// kubelet adds the group read bit), and that group is the exporter itself.
public enum SecretFilePermissions {
    /// Why the mode exposes the file, or nil when only the exporter can read it.
    ///
    /// - Parameters:
    ///   - mode: the permission bits (`st_mode & 0o777`).
    ///   - fileGroup: the file's group id.
    ///   - processGroup: the exporter's effective group id.
    public static func exposure(mode: Int, fileGroup: UInt32, processGroup: UInt32) -> String? {
        if mode & 0o004 != 0 { return "readable by others" }
        if mode & 0o040 != 0, fileGroup != processGroup { return "readable by group \(fileGroup)" }
        return nil
    }

    /// The file's permission bits and group, following symlinks (Secret volumes are symlinks); nil if it has none.
    static func status(path: String) -> (mode: Int, group: UInt32)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (Int(info.st_mode) & 0o777, UInt32(info.st_gid))
    }

    /// Logs one warning naming the file, its mode and the flag (never its content) when more than the exporter can
    /// read it.
    public static func warnIfExposed(path: String, flag: String, logger: Logger) {
        guard let status = status(path: path),
            let exposure = exposure(mode: status.mode, fileGroup: status.group, processGroup: UInt32(getegid()))
        else { return }
        logger.warning(
            "secret file is \(exposure): restrict it to the exporter (chmod 600, or 440 with its own group)",
            metadata: [
                "flag": .string(flag), "file": .string(path), "mode": .string("0" + String(status.mode, radix: 8)),
            ]
        )
    }
}
