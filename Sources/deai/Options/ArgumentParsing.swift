// Parsing of option values that are DeAI types.

import ArgumentParser
import DeAICore
import Ledger

/// Transforms for `@Option(transform:)`: a bad value is a usage error naming the option.
enum ArgumentParsing {
    /// A bech32 address `deai1…`.
    static func address(_ text: String) throws -> Address {
        do {
            return try Address(bech32: text)
        } catch {
            throw ValidationError("\"\(text)\" is not a DeAI address (\(error))")
        }
    }

    /// A 64-hex-digit Ed25519 public key.
    static func verifyingKey(_ text: String) throws -> VerifyingKey {
        do {
            return try VerifyingKey(rawRepresentation: try [UInt8](hexString: text))
        } catch {
            throw ValidationError("\"\(text)\" is not an Ed25519 public key in hex (\(error))")
        }
    }

    /// A 64-hex-digit SHA-256 digest.
    static func digest(_ text: String) throws -> SHA256Digest {
        do {
            return try SHA256Digest(hexString: text)
        } catch {
            throw ValidationError("\"\(text)\" is not a 64-digit hex hash (\(error))")
        }
    }

    /// `yes`, `no`, `abstain` or `veto`.
    static func voteOption(_ text: String) throws -> VoteOption {
        guard let option = VoteOption(name: text) else {
            throw ValidationError("\"\(text)\" is not a vote option: use yes, no, abstain or veto")
        }
        return option
    }

    /// `trainer` or `evaluator`.
    static func taskRole(_ text: String) throws -> TaskRole {
        guard let role = TaskRole(rawValue: text) else {
            throw ValidationError("\"\(text)\" is not a task role: use trainer or evaluator")
        }
        return role
    }

    /// `NAME=VALUE`, a chain parameter and its new value.
    static func parameterChange(_ text: String) throws -> ParameterChange {
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let value = UInt64(parts[1]) else {
            throw ValidationError("\"\(text)\" is not NAME=VALUE with an integer VALUE")
        }
        do {
            try ChainParameters.validate(parts[0], value)
        } catch {
            throw ValidationError("\(error); parameters are \(ChainParameters.names.joined(separator: ", "))")
        }
        return ParameterChange(name: parts[0], value: value)
    }
}
