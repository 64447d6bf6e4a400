// AttackCoalition: the out-of-band channel through which colluding attackers pool their honest updates.

import Synchronization

/// Colluding attackers (``Federation/Attack/alie``, ``Federation/Attack/ipm``) share their own honestly trained
/// updates of a round through a channel outside the chain; the devnet's attackers run in one process, so the
/// channel is this object. Commit–reveal keeps the honest owners' updates of the round out of reach: the coalition
/// holds only its members' own.
///
/// Each colluder that a round selects calls ``pool(_:from:round:selected:)``: it deposits its update and waits until
/// every selected member has deposited, or ``patience`` has passed (a colluder that fails never blocks the others;
/// they forge from what is there). Updates come back ordered by member, so every colluder forges from the same
/// list in the same order.
///
/// ```swift
/// let coalition = AttackCoalition(members: Set(colluders), patience: .seconds(30))
/// let pooled = await coalition.pool(honest.delta, from: myAddress, round: 3, selected: round.selected)
/// ```
package final class AttackCoalition<Member: Hashable & Comparable & Sendable>: Sendable {
    /// The colluders.
    package let members: Set<Member>
    /// How long a colluder waits for the others before it forges from what is there.
    package let patience: Duration

    private struct State {
        /// The updates deposited for each recent round, by member.
        var deposits: [UInt32: [Member: [Float]]] = [:]
        /// The members each recent round waits for: the selected colluders.
        var expected: [UInt32: Set<Member>] = [:]
        /// Colluders waiting for a round to fill, by waiter number.
        var waiters: [Int: (round: UInt32, continuation: CheckedContinuation<Void, Never>)] = [:]
        var nextWaiter = 0

        func isComplete(_ round: UInt32) -> Bool {
            guard let expected = self.expected[round] else { return false }
            return expected.isSubset(of: Set((self.deposits[round] ?? [:]).keys))
        }
    }

    // Every field of the state is read and written under this lock only; continuations are resumed after it is
    // released.
    private let state = Mutex(State())

    /// A coalition of `members`, each waiting at most `patience` for the others in a round.
    package init(members: Set<Member>, patience: Duration) {
        self.members = members
        self.patience = patience
    }

    /// Deposits `update` as `member`'s honest update of `round` (replacing an earlier deposit of the same round, as a
    /// restarted colluder makes the same update again) and returns the round's deposits in member order, once every
    /// member in `selected` has deposited or after ``patience``. Rounds older than the one before `round` are
    /// forgotten.
    package func pool(_ update: [Float], from member: Member, round: UInt32, selected: some Sequence<Member>) async
        -> [[Float]]
    {
        let expected = self.members.intersection(selected)
        let ready = self.state.withLock { state in
            state.expected[round] = expected
            state.deposits[round, default: [:]][member] = update
            for old in state.deposits.keys where old + 1 < round {
                state.deposits[old] = nil
                state.expected[old] = nil
            }
            guard state.isComplete(round) else { return [CheckedContinuation<Void, Never>]() }
            let waiting = state.waiters.filter { $0.value.round == round }
            for key in waiting.keys { state.waiters[key] = nil }
            return waiting.values.map(\.continuation)
        }
        for continuation in ready { continuation.resume() }
        if !self.state.withLock({ $0.isComplete(round) }) {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.completion(of: round) }
                group.addTask { try? await Task.sleep(for: self.patience) }
                await group.next()
                group.cancelAll()
            }
        }
        return self.state.withLock { state in
            (state.deposits[round] ?? [:]).sorted { $0.key < $1.key }.map(\.value)
        }
    }

    /// Returns when every expected member of `round` has deposited, or when the task is cancelled.
    private func completion(of round: UInt32) async {
        let waiter = self.state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = self.state.withLock { state in
                    guard !state.isComplete(round), !Task.isCancelled else { return true }
                    state.waiters[waiter] = (round, continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            self.state.withLock { $0.waiters.removeValue(forKey: waiter) }?.continuation.resume()
        }
    }
}
