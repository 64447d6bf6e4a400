// Where a key passphrase comes from, without a prompt (scripts must run unattended).

import ArgumentParser
import Foundation

/// `--passphrase-file FILE`, else the `DEAI_PASSPHRASE` environment variable, else no passphrase.
struct PassphraseOptions: ParsableArguments {
    @Option(help: "File whose first line is the key passphrase (default: $DEAI_PASSPHRASE, if set)")
    var passphraseFile: String?

    /// The environment variable read when `--passphrase-file` is not given.
    static let environmentVariable = "DEAI_PASSPHRASE"

    /// The passphrase, or `nil` when none is given.
    ///
    /// - Throws: ``CLIError`` when the file cannot be read or is empty.
    func passphrase() throws -> String? {
        if let path = self.passphraseFile {
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8)
            else {
                throw CLIError("cannot read the passphrase file \(path)")
            }
            let line = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let passphrase = String(line.hasSuffix("\r") ? line.dropLast() : line)
            guard !passphrase.isEmpty else { throw CLIError("the passphrase file \(path) is empty") }
            return passphrase
        }
        if let value = ProcessInfo.processInfo.environment[Self.environmentVariable], !value.isEmpty {
            return value
        }
        return nil
    }
}
