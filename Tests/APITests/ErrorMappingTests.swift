// APITests: the mapping of every error to its status, code and name.

import API
import Consensus
import DeAICore
import DeAITesting
import HTTPTypes
import Hummingbird
import Ledger
import Testing

@Suite("error mapping")
struct ErrorMappingTests {
    @Test("API error codes and names are unique, and the codes are frozen")
    func apiCodes() {
        let codes = APIError.Code.allCases
        #expect(Set(codes.map(\.rawValue)).count == codes.count)
        #expect(Set(codes.map(\.name)).count == codes.count)
        #expect(codes.allSatisfy { $0.rawValue >= 1000 })
        #expect(codes.map(\.rawValue) == [1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1101, 1102, 1103, 1104, 1105, 1106, 1107, 1108, 1500])
    }

    @Test("ledger refusals get their documented status", arguments: [
        (LedgerError.malformedTransaction(reason: "x"), HTTPResponse.Status.badRequest),
        (.invalidSignature, .badRequest),
        (.transactionTooLarge(bytes: 20_000, limit: 16_384), .contentTooLarge),
        (.nonceAlreadyUsed(account: TestKeys.signingKey(1).verifyingKey.address, expected: 2, received: 1), .conflict),
        (.nonceInFuture(account: TestKeys.signingKey(1).verifyingKey.address, expected: 2, received: 3), .badRequest),
        (.insufficientFunds(account: TestKeys.signingKey(1).verifyingKey.address, needed: 2, available: 1), .badRequest),
        (.unknownProposal(id: 4), .notFound),
        (.invalidProof(reason: "x"), .internalServerError),
    ])
    func ledgerStatus(_ error: LedgerError, _ status: HTTPResponse.Status) {
        #expect(error.status == status)
    }

    @Test("the node's refusals: a full mempool is a 503, internal states say nothing of their cause")
    func consensusStatus() {
        #expect(ConsensusError.mempoolFull(transactions: 50_000, bytes: 1 << 26).status == .serviceUnavailable)
        #expect(ConsensusError.duplicateTransaction(.zero).status == .conflict)
        #expect(ConsensusError.halted(reason: "disk full").status == .serviceUnavailable)
        let corrupt = ConsensusError.corruptState(reason: "row 42 of /var/lib/deai/node.sqlite")
        #expect(corrupt.status == .internalServerError)
    }
}
