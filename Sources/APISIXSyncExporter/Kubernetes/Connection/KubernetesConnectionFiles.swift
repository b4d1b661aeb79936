import Foundation
import NIOSSL

/// Reads and decodes the small files and inline values a connection is built from, turning every failure into a
/// one-line ``KubernetesConnectionError`` that names the file or field (`what`) but never its secret content.
enum KubernetesConnectionFiles {
    /// Reads a whole file.
    /// - Parameters:
    ///   - path: The file to read.
    ///   - what: How to call the file in errors, e.g. `"in-cluster CA file"`.
    static func read(_ path: String, what: String) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw KubernetesConnectionError("\(what) \(path) does not exist")
        }
        if isDirectory.boolValue {
            throw KubernetesConnectionError("\(what) \(path) is a directory, not a file")
        }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw KubernetesConnectionError("\(what) \(path) is not readable (permission denied)")
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw KubernetesConnectionError("cannot read \(what) \(path): \(error.localizedDescription)")
        }
    }

    /// Reads a bearer token file: UTF-8 text, surrounding whitespace trimmed, not empty, no control characters.
    /// - Parameters:
    ///   - path: The token file.
    ///   - what: How to call the file in errors, e.g. `"token file"`.
    static func token(at path: String, what: String) throws -> String {
        let data = try read(path, what: what)
        guard let text = String(data: data, encoding: .utf8) else {
            throw KubernetesConnectionError("\(what) \(path) is not UTF-8 text")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw KubernetesConnectionError("\(what) \(path) is empty")
        }
        guard isValidHeaderToken(token) else {
            throw KubernetesConnectionError("\(what) \(path) contains line breaks or control characters")
        }
        return token
    }

    /// Whether `token` can be sent in an HTTP header (no control characters such as CR, LF or NUL).
    static func isValidHeaderToken(_ token: String) -> Bool {
        !token.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }

    /// Decodes a base64 field of a kubeconfig; whitespace and line breaks inside the value are ignored.
    /// - Parameters:
    ///   - value: The base64 text.
    ///   - what: How to call the field in errors.
    static func base64(_ value: String, what: String) throws -> Data {
        let compact = String(value.unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) })
        guard !compact.isEmpty, let data = Data(base64Encoded: compact) else {
            throw KubernetesConnectionError("\(what) is not valid base64")
        }
        return data
    }

    /// Parses one or more PEM certificates.
    /// - Parameters:
    ///   - pem: The PEM bytes.
    ///   - what: How to call the source in errors.
    static func certificates(fromPEM pem: Data, what: String) throws -> [NIOSSLCertificate] {
        let certificates = try? NIOSSLCertificate.fromPEMBytes(Array(pem))
        guard let certificates, !certificates.isEmpty else {
            throw KubernetesConnectionError("\(what) does not contain a PEM certificate")
        }
        return certificates
    }

    /// Parses an unencrypted PEM private key.
    /// - Parameters:
    ///   - pem: The PEM bytes.
    ///   - what: How to call the source in errors.
    static func privateKey(fromPEM pem: Data, what: String) throws -> NIOSSLPrivateKey {
        let bytes = Array(pem)
        let passphrase: NIOSSLPassphraseCallback<[UInt8]> = { _ in }
        guard let key = try? NIOSSLPrivateKey(bytes: bytes, format: .pem, passphraseCallback: passphrase) else {
            throw KubernetesConnectionError("\(what) does not contain an unencrypted PEM private key")
        }
        return key
    }
}
