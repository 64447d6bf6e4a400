// Interoperability with PyTorch through safetensors: weights trained by torch_train.py predict the same in DeAI,
// and a model trained by DeAI predicts the same in PyTorch. Runs when ../shared/peers/setup.sh has made its venv.

import Foundation
import Learning
import Testing

/// For each job `arch weights inputs out`, builds that torch_train.py architecture, loads the weights (matched in
/// DeAI's parameter order: numeric parts as numbers, weight before bias), runs it on the input tensor `x` and writes
/// the logits as `y`. One process for all jobs: importing torch is the slow part.
private let torchSnippet = """
    import sys, torch
    from torch import nn
    from safetensors.torch import load_file, save_file
    def build(arch, d, k):
        if arch == "logreg":
            return nn.Linear(d, k)
        if arch == "mlp":
            return nn.Sequential(nn.Linear(d, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, k))
        conv = nn.Sequential(nn.Conv1d(1, 25, 5, 2, 1), nn.ReLU(), nn.Conv1d(25, 25, 3, 2, 1), nn.ReLU(),
                             nn.Conv1d(25, 25, 3, 2, 1), nn.ReLU(), nn.Flatten())
        L = conv(torch.zeros(1, 1, d)).shape[1]
        return nn.Sequential(nn.Unflatten(1, (1, d)), conv, nn.Linear(L, k))
    def key(name):
        return [int(p) if p.isdigit() else {"weight": 0, "bias": 1}.get(p, 2) for p in name.split(".")]
    args = sys.argv[1:]
    for i in range(0, len(args), 4):
        arch, weights, inputs, out = args[i:i + 4]
        w = load_file(weights); x = load_file(inputs)["x"]
        m = build(arch, x.shape[1], 10)
        m.load_state_dict(dict(zip(m.state_dict().keys(), (w[n] for n in sorted(w, key=key)))))
        with torch.no_grad():
            save_file({"y": m(x).contiguous()}, out)
    """

@Suite("PyTorch interop", .enabled(if: peersPython != nil && datasetsDirectory != nil,
                                   "the PyTorch venv of ../shared/peers/setup.sh is missing"))
struct PyTorchInteropTests {
    private let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("deai-interop-\(UUID())").path

    private func run(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(peersPython))
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "python \(arguments.prefix(2)) failed")
    }

    /// PyTorch's logits for each (architecture, weights file, inputs), computed in one python process.
    private func torchLogits(_ jobs: [(architecture: String, weights: String, inputs: Tensor)]) throws -> [Tensor] {
        var arguments = ["-c", torchSnippet]
        for (index, job) in jobs.enumerated() {
            let inputPath = "\(self.scratch)/x\(index).safetensors"
            try Safetensors.encode(Safetensors.File(tensors: ["x": job.inputs])).write(to: URL(fileURLWithPath: inputPath))
            arguments += [job.architecture, job.weights, inputPath, "\(self.scratch)/y\(index).safetensors"]
        }
        try self.run(arguments)
        return try jobs.indices.map { index in
            let output = try Data(contentsOf: URL(fileURLWithPath: "\(self.scratch)/y\(index).safetensors"))
            return try #require(try Safetensors.decode(output).tensors["y"])
        }
    }

    private func expectClose(_ a: Tensor, _ b: Tensor, _ label: String) {
        #expect(a.shape == b.shape, "\(label)")
        let worst = zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
        #expect(worst < 1e-3, "\(label): largest logit difference \(worst)")
        #expect((try? a.argmaxRows()) == (try? b.argmaxRows()), "\(label): predicted classes differ")
    }

    /// The standardized test set of a data set used by torch_train.py.
    private func testInputs(_ architecture: String) throws -> (train: Dataset, inputs: Tensor) {
        let (train, test) = architecture == "cnn1d"
            ? try loadStandardized(train: "mnist1d_train.csv", test: "mnist1d_test.csv")
            : try loadStandardized(train: "digits.csv")
        return (train, try test.features.slice(0..<200))
    }

    @Test("weights trained by torch_train.py predict the same in DeAI")
    func torchToDeAI() throws {
        try FileManager.default.createDirectory(atPath: self.scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: self.scratch) }
        let directory = try #require(datasetsDirectory)
        var jobs: [(architecture: String, weights: String, inputs: Tensor)] = []
        var ours: [Tensor] = []
        for architecture in ["mlp", "cnn1d"] {
            let weights = "\(self.scratch)/torch-\(architecture).safetensors"
            var arguments = ["\(directory)/../peers/torch_train.py", "--model", architecture, "--epochs", "2",
                             "--save", weights]
            arguments += architecture == "mlp"
                ? ["--train", "\(directory)/digits.csv"]
                : ["--train", "\(directory)/mnist1d_train.csv", "--test", "\(directory)/mnist1d_test.csv",
                   "--batch", "100", "--optimizer", "adam", "--lr", "0.01"]
            try self.run(arguments)
            let inputs = try self.testInputs(architecture).inputs
            var model = try Model(spec: .builtin(architecture, features: inputs.shape[1], classes: 10), seed: 0)
            try model.loadWeights(from: Safetensors.decode(try Data(contentsOf: URL(fileURLWithPath: weights))))
            ours.append(try model.outputs(inputs))
            jobs.append((architecture, weights, inputs))
        }
        for (index, theirs) in try self.torchLogits(jobs).enumerated() {
            self.expectClose(ours[index], theirs, jobs[index].architecture)
        }
    }

    @Test("a PyTorch model reads with a description of its architecture and data preparation (deai predict --spec)")
    func torchWithDescription() throws {
        try FileManager.default.createDirectory(atPath: self.scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: self.scratch) }
        let directory = try #require(datasetsDirectory)
        let weights = "\(self.scratch)/torch-mlp.safetensors"
        try self.run(["\(directory)/../peers/torch_train.py", "--model", "mlp", "--epochs", "2",
                      "--train", "\(directory)/digits.csv", "--save", weights])
        let table = try CSVTable(contentsOf: "\(directory)/digits.csv")
        var preparation = try TablePreparation(inferringFrom: table)
        try preparation.fit(on: table)
        let description = TrainedModel.Description(
            model: try .builtin("mlp", features: 64, classes: 10), preparation: preparation)
        // As a --spec file: JSON, decoded.
        let file = try JSONDecoder().decode(TrainedModel.Description.self, from: try JSONEncoder().encode(description))
        let trained = try TrainedModel.load(from: weights, description: file)
        #expect(trained.preparation.target.classes == (0..<10).map(String.init))
        let encoded = try trained.preparation.encode(table, mode: .prediction)
        let inputs = try trained.preparation.prepared(inputs: trained.preparation.inputs(of: encoded)).slice(0..<200)
        self.expectClose(try trained.model.outputs(inputs), try self.torchLogits([("mlp", weights, inputs)])[0], "described")
        #expect(throws: LearningError.self) {
            try TrainedModel.load(from: weights)  // no metadata and no description
        }
    }

    @Test("models trained by DeAI predict the same in PyTorch")
    func deaiToTorch() throws {
        try FileManager.default.createDirectory(atPath: self.scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: self.scratch) }
        var jobs: [(architecture: String, weights: String, inputs: Tensor)] = []
        var ours: [Tensor] = []
        for architecture in ["logreg", "mlp", "cnn1d"] {
            let (train, inputs) = try self.testInputs(architecture)
            var model = try Model(spec: .builtin(architecture, features: train.sampleShape[0], classes: 10), seed: 5)
            try model.train(on: train, configuration: TrainingConfiguration(
                epochs: 2, batchSize: 100, optimizer: OptimizerSpec(kind: .adam, learningRate: 0.01)))
            let weights = "\(self.scratch)/deai-\(architecture).safetensors"
            try model.safetensorsData().write(to: URL(fileURLWithPath: weights))
            ours.append(try model.outputs(inputs))
            jobs.append((architecture, weights, inputs))
        }
        for (index, theirs) in try self.torchLogits(jobs).enumerated() {
            self.expectClose(ours[index], theirs, jobs[index].architecture)
        }
    }
}
