// APITests: proposals and votes.

import APITypes
import DeAICore
import HTTPTypes
import HummingbirdTesting
import Ledger
import Testing

@Suite("GET /v1/proposals, /v1/proposals/{id}, /v1/proposals/{id}/votes")
struct GovernanceRoutesTests {
    @Test("a proposal in its voting period, with a vote weighted by the voter's current power")
    func proposalAndVotes() async throws {
        try await TestNode.withNode { node in
            try await node.app().test(.router) { client in
                let content = ProposalContent.parameterChange(
                    title: "Cheaper blocks", changes: [ParameterChange(name: "block_reward", value: 50)]
                )
                let deposit = ChainParameters().proposalMinimumDeposit
                _ = try await client.submit(try TestNode.transaction(.submitProposal(content: content, deposit: deposit), nonce: 0))
                try await node.produceBlock()
                _ = try await client.submit(
                    try TestNode.transaction(.vote(proposalID: 1, option: .yes), from: TestNode.validator, nonce: 0)
                )
                try await node.produceBlock()

                let all = try await client.get("/v1/proposals").decode(ProposalsView.self)
                #expect(all.proposals.map(\.id) == [1])

                let proposal = try await client.get("/v1/proposals/1").decode(ProposalView.self)
                #expect(proposal.status == .voting)
                #expect(proposal.proposer == TestNode.alice.verifyingKey.address)
                #expect(proposal.content.kind == "parameter_change")
                #expect(proposal.content.changes == [ParameterChange(name: "block_reward", value: 50)])
                #expect(proposal.totalDeposit == deposit)

                let votes = try await client.get("/v1/proposals/1/votes").decode(VotesView.self)
                #expect(votes.proposalID == 1)
                let vote = try #require(votes.votes.first)
                #expect(vote.voter == TestNode.validator.verifyingKey.address)
                #expect(vote.option == "yes")
                #expect(vote.power == TestNode.validatorStake)
                #expect(votes.tally.yes == TestNode.validatorStake)
            }
        }
    }

    @Test("an unknown proposal is a 404 unknown_proposal; a malformed identifier a 400")
    func unknownProposal() async throws {
        try await TestNode.withNode { node in
            try await node.app().test(.router) { client in
                try await client.get("/v1/proposals/7").expectError(.notFound, code: 209, name: "unknown_proposal")
                try await client.get("/v1/proposals/7/votes").expectError(.notFound, code: 209, name: "unknown_proposal")
                try await client.get("/v1/proposals/seven").expectError(.badRequest, code: 1002, name: "bad_path")
            }
        }
    }
}
