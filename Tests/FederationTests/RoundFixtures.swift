// RoundFixtures: the shared data sets, standardized, and small federated rounds built from them.

import Federation
import Foundation
import Learning

/// Loads `../shared/datasets/<name>.csv` (next to the repository), or the copy shipped in `Sources/Devnet`.
enum SharedData {
    /// The data set, features standardized with the training split's statistics (constant columns left as is).
    static func split(_ name: String, seed: UInt64) throws -> (train: Dataset, validation: Dataset) {
        let all = try CSVTable(contentsOf: try self.path(name)).dataset()
        var generator = Xoshiro256(seed: seed)
        let (train, validation) = try all.stratifiedSplit(testFraction: 0.25, using: &generator)
        var standardizer = Standardizer(fitting: train)
        // A column constant on the training split would be divided by 1e-8 and explode on validation data.
        standardizer.deviation = standardizer.deviation.map { $0 < 1e-6 ? 1 : $0 }
        return (try standardizer.apply(to: train), try standardizer.apply(to: validation))
    }

    private static func path(_ name: String, filePath: String = #filePath) throws -> String {
        // Tests/FederationTests/<file>.swift: the repository root is three levels up.
        var root = URL(fileURLWithPath: filePath)
        for _ in 0..<3 { root.deleteLastPathComponent() }
        let candidates = [
            root.deletingLastPathComponent().appendingPathComponent("shared/datasets/\(name).csv"),
            root.appendingPathComponent("Sources/Devnet/Resources/Datasets/\(name).csv"),
        ]
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) else {
            throw LearningError.io(path: candidates[0].path, reason: "data set not found")
        }
        return found.path
    }
}

/// How a fixture shares the training split among its clients.
enum Partition {
    /// Disjoint IID shares of the given fractions of the training split.
    case iid([Double])
    /// Client `k` holds labels `k` and `k + 1` (modulo the class count); each label's samples are split evenly
    /// among the clients that hold it. With as many clients as classes, every client has half of two labels.
    case twoLabels(clients: Int)

    /// The training indices of each client.
    func indices(of train: Dataset, using generator: inout Xoshiro256) -> [[Int]] {
        switch self {
        case .iid(let fractions):
            var order = Array(0..<train.count)
            order.shuffle(using: &generator)
            var start = 0
            return fractions.map { fraction in
                let count = Int(Double(train.count) * fraction)
                defer { start += count }
                return Array(order[start..<(start + count)])
            }
        case .twoLabels(let clients):
            let classes = train.classCount
            var shares = [[Int]](repeating: [], count: clients)
            for label in 0..<classes {
                let holders = (0..<clients).filter { $0 % classes == label || ($0 + 1) % classes == label }
                var samples = train.labels.indices.filter { train.labels[$0] == label }
                samples.shuffle(using: &generator)
                let bounds = (0...holders.count).map { $0 * samples.count / holders.count }
                for (position, client) in holders.enumerated() {
                    shares[client] += samples[bounds[position]..<bounds[position + 1]]
                }
            }
            return shares.map { $0.sorted() }
        }
    }
}

/// One round of a federated task: the global model, each client's data and the evaluator's held-out data.
struct RoundFixture {
    let spec: ModelSpec
    let global: [Float]
    let validation: Dataset
    var clients: [Dataset]
    let local: LocalTrainingConfiguration

    /// Clients get disjoint IID shares of the training split of the given sizes (fractions of it); the global
    /// model has been trained for `warmRounds` honest FedAvg rounds by the same clients.
    init(dataset: String, hidden: Int = 32, fractions: [Double], warmRounds: Int, seed: UInt64 = 1) throws {
        try self.init(dataset: dataset, hidden: hidden, partition: .iid(fractions), warmRounds: warmRounds, seed: seed)
    }

    /// Clients get the shares of `partition`; the global model has been trained for `warmRounds` honest FedAvg
    /// rounds by the same clients.
    init(dataset: String, hidden: Int = 32, partition: Partition, warmRounds: Int, seed: UInt64 = 1) throws {
        let (train, validation) = try SharedData.split(dataset, seed: seed)
        var generator = Xoshiro256(seed: seed &+ 1)
        let clients = try partition.indices(of: train, using: &generator).map { try train.subset($0) }
        let spec = try ModelSpec.builtin("mlp", features: train.sampleShape[0], classes: train.classCount, hidden: hidden)
        self.spec = spec
        self.validation = validation
        self.clients = clients
        let local = LocalTrainingConfiguration()
        self.local = local
        var global = try Model(spec: spec, seed: seed).flatParameters
        for round in 0..<warmRounds {
            let updates = try clients.enumerated().map { index, data in
                try trainLocalUpdate(spec: spec, global: global, data: data,
                                     configuration: local.seeded(UInt64(1000 * round + index)))
            }
            let step = try aggregate(updates.map(\.delta), weights: updates.map(\.sampleCount), rule: .fedavg)
            global = try applyUpdate(step, to: global)
        }
        self.global = global
    }

    /// Every client's update this round; clients in `attackers` behave as `attack`.
    func updates(attack: Attack? = nil, attackers: Set<Int> = []) throws -> [LocalUpdate] {
        var updates: [LocalUpdate] = []
        for (index, data) in self.clients.enumerated() {
            let attacker = attackers.contains(index) ? attack : nil
            let honest = try trainLocalUpdate(spec: self.spec, global: self.global, data: attacker?.poison(data) ?? data,
                                              configuration: self.local.seeded(UInt64(index)))
            guard let attacker else {
                updates.append(honest)
                continue
            }
            let visible = updates.map(\.delta)
            let delta = maliciousUpdate(attack: attacker, honest: honest, othersVisible: visible, seed: UInt64(index))
            updates.append(LocalUpdate(delta: delta, sampleCount: honest.sampleCount, trainingLoss: honest.trainingLoss))
        }
        return updates
    }

    /// An evaluator of this round holding the validation split.
    func evaluator(_ settings: EvaluationSettings = EvaluationSettings()) throws -> UpdateEvaluator {
        try UpdateEvaluator(spec: self.spec, global: self.global, validation: self.validation, settings: settings)
    }
}

extension RoundFixture {
    /// This round with a fraction of some clients' labels replaced by random classes.
    func withLabelNoise(clients noise: [Int: Double]) -> RoundFixture {
        var copy = self
        copy.clients = self.clients.enumerated().map { index, data in
            guard let fraction = noise[index] else { return data }
            var generator = Xoshiro256(seed: UInt64(index))
            var noisy = data
            for sample in noisy.labels.indices where Double(generator.next() % 1000) < fraction * 1000 {
                noisy.labels[sample] = Int(generator.next() % UInt64(data.classCount))
            }
            noisy.targets = noisy.labels.map(Float.init)
            return noisy
        }
        return copy
    }
}

extension LocalTrainingConfiguration {
    /// This configuration with another seed.
    func seeded(_ seed: UInt64) -> LocalTrainingConfiguration {
        var copy = self
        copy.seed = seed
        return copy
    }
}
