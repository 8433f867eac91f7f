import Foundation
import VouchEngine
import VouchModels
import VouchTestSupport

/// The committed PyTorch reference of the adapter objective (Tests/Fixtures/adapter/, written by
/// scripts/fixtures/adapter.py from METHOD's equations on transformers' Qwen2).
struct AdapterReference: Decodable {
  struct Terms: Decodable {
    let cutoff: Int
    let outputKL: Double
    let nmse: [Double]
    let sparsity: [Double]
    let activeFeatures: [Double]
    let a2rKL: Double?
    let r2aKL: Double?
    let total: Double

    enum CodingKeys: String, CodingKey {
      case cutoff, nmse, sparsity, total
      case outputKL = "output_kl"
      case activeFeatures = "active_features"
      case a2rKL = "a2r_kl"
      case r2aKL = "r2a_kl"
    }
  }

  struct Step: Decodable {
    let cutoff: Int
    let lr: Double
    let gradientNorm: Double
    let encoderGradientZero: Bool
    let terms: Terms

    enum CodingKeys: String, CodingKey {
      case cutoff, lr, terms
      case gradientNorm = "gradient_norm"
      case encoderGradientZero = "encoder_gradient_zero"
    }
  }

  struct Training: Decodable {
    let lr: Double
    let totalSteps: Int
    let warmupSteps: Int
    let maxNorm: Double
    let steps: [Step]
    let final: [String: [Double]]

    enum CodingKeys: String, CodingKey {
      case lr, steps, final
      case totalSteps = "total_steps"
      case warmupSteps = "warmup_steps"
      case maxNorm = "max_norm"
    }
  }

  let features: Int
  let ids: [Int]
  let lambdaL1: Double
  let bridgingWeight: Double
  let terms: [Terms]
  let gradientCutoff: Int
  let gradients: [String: [Double]]
  let training: Training

  enum CodingKeys: String, CodingKey {
    case features, ids, terms, gradients, training
    case lambdaL1 = "lambda_l1"
    case bridgingWeight = "bridging_weight"
    case gradientCutoff = "gradient_cutoff"
  }

  static func url(_ name: String) -> URL { Fixtures.url("adapter/\(name)") }

  static func load() throws -> AdapterReference {
    let data = try Data(contentsOf: url("expected.json"))
    return try JSONDecoder().decode(AdapterReference.self, from: data)
  }

  /// The released objective with the fixture's λ_L1 and bridging weight.
  var objective: AdapterObjective {
    var objective = AdapterObjective()
    objective.sparsityWeight = lambdaL1
    objective.bridgingWeight = bridgingWeight
    return objective
  }

  /// R, B and the adapters stored under `prefix` (`adapter` = the random ones; `init` = the
  /// METHOD initialisation: the stored W_enc, everything else 0), in `Scalar`.
  static func model<Scalar: TensorScalar>(adapters prefix: String, as _: Scalar.Type) throws
    -> ReplacementModel<Scalar>
  {
    let configuration = try Qwen2Configuration(contentsOf: url("config.json"))
    let target = try Qwen2Parameters<Scalar>(
      source: SafetensorsFile(url: url("target.safetensors")), configuration: configuration)
    let base = try Qwen2Parameters<Scalar>(
      source: SafetensorsFile(url: url("base.safetensors")), configuration: configuration)
    let file = try SafetensorsFile(url: url("adapters.safetensors"))
    let (d, layers) = (configuration.hiddenSize, configuration.layerCount)
    let features = file.shapeAndType(of: "init.layers.0.encoder.weight")?.shape[0] ?? 0
    let adapters = try (0..<layers).map { layer -> TranscoderAdapter<Scalar> in
      var adapter = TranscoderAdapter<Scalar>(hiddenSize: d, featureCount: features)
      for (suffix, path) in TranscoderAdapter<Scalar>.namedPaths {
        let name = "\(prefix).layers.\(layer).\(suffix)"
        guard file.shapeAndType(of: name) != nil else { continue }
        adapter[keyPath: path] = try file.tensor(name, shape: adapter[keyPath: path].shape)
          .converted(to: Scalar.self)
      }
      return adapter
    }
    return try ReplacementModel(target: target, base: base, adapters: adapters)
  }

  /// `max |a − e| / max(max |e|, 1e-30)` over one flattened tensor.
  static func relativeError<Scalar: TensorScalar>(_ actual: Tensor<Scalar>, _ expected: [Double])
    -> Double
  {
    let values = actual.scalars.map { Double($0) }
    precondition(values.count == expected.count, "\(values.count) values for \(expected.count)")
    let scale = expected.map(abs).max() ?? 0
    let worst = zip(values, expected).map { abs($0 - $1) }.max() ?? 0
    return worst / max(scale, 1e-30)
  }
}
