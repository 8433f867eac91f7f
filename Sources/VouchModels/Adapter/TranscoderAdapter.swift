// The transcoder adapter T_ℓ of METHOD.md §1.3: a sparse ReLU MLP that reads the MLP input
// u = RMSNorm₂(h') and adds its output to the base MLP's output.
import VouchEngine

/// One layer's adapter, `f = ReLU(W_enc u + b_enc)`, `T(u) = W_dec f + b_dec`, or its gradient
/// (the same shapes).
///
/// `Scalar`-generic like ``Qwen2Parameters``: Float32 trains, Float64 is gradient-checked.
public struct TranscoderAdapter<Scalar: TensorScalar>: Sendable {
  /// `W_enc`, `[F, d]` (a PyTorch `Linear(d, F)` weight; row `i` is feature `i`'s encoder).
  public var encoderWeight: Tensor<Scalar>
  /// `b_enc`, `[F]`.
  public var encoderBias: Tensor<Scalar>
  /// `W_dec`, `[d, F]` (column `i` is feature `i`'s output direction `d_i`).
  public var decoderWeight: Tensor<Scalar>
  /// `b_dec`, `[d]`; added at every token, even when no feature fires.
  public var decoderBias: Tensor<Scalar>

  /// `d`, the model width the adapter reads and writes.
  public var hiddenSize: Int { encoderWeight.shape[1] }
  /// `F`, the number of features.
  public var featureCount: Int { encoderWeight.shape[0] }

  /// Every tensor with its name suffix (after `adapter.layers.<i>.`), in a fixed order: the
  /// order of optimiser states, clipping and checkpoints.
  public static var namedPaths: [(String, WritableKeyPath<Self, Tensor<Scalar>>)] {
    [
      ("encoder.weight", \.encoderWeight), ("encoder.bias", \.encoderBias),
      ("decoder.weight", \.decoderWeight), ("decoder.bias", \.decoderBias),
    ]
  }

  /// An adapter made of the given tensors.
  /// - Precondition: shapes `[F, d]`, `[F]`, `[d, F]`, `[d]`.
  public init(
    encoderWeight: Tensor<Scalar>, encoderBias: Tensor<Scalar>, decoderWeight: Tensor<Scalar>,
    decoderBias: Tensor<Scalar>
  ) {
    let (features, hidden) = (encoderWeight.shape[0], encoderWeight.shape[1])
    precondition(encoderWeight.rank == 2, "encoder weight must be [F, d]")
    precondition(encoderBias.shape == [features], "encoder bias must be [F]")
    precondition(decoderWeight.shape == [hidden, features], "decoder weight must be [d, F]")
    precondition(decoderBias.shape == [hidden], "decoder bias must be [d]")
    self.encoderWeight = encoderWeight
    self.encoderBias = encoderBias
    self.decoderWeight = decoderWeight
    self.decoderBias = decoderBias
  }

  /// All-zero tensors of the adapter's shapes (also the shape of a zero gradient).
  public init(hiddenSize: Int, featureCount: Int) {
    self.init(
      encoderWeight: Tensor(shape: [featureCount, hiddenSize]),
      encoderBias: Tensor(shape: [featureCount]),
      decoderWeight: Tensor(shape: [hiddenSize, featureCount]),
      decoderBias: Tensor(shape: [hiddenSize]))
  }

  /// METHOD §1.3's initialisation: `W_enc ~ U(−1/√d, 1/√d)` elementwise, everything else 0, so
  /// the replacement model starts exactly equal to the hybrid.
  ///
  /// Element `j` (row-major) of `W_enc` is `a·(2u − 1)` with `a = 1/√d` and `u` the next 53-bit
  /// unit value of `stream`, computed in `Double` and rounded to `Scalar` once; nothing else
  /// draws, so layer `ℓ` of a model consumes exactly `F·d` values after layer `ℓ − 1`.
  public init(hiddenSize: Int, featureCount: Int, stream: inout RandomStream) {
    self.init(hiddenSize: hiddenSize, featureCount: featureCount)
    let bound = 1 / Double(hiddenSize).squareRoot()
    encoderWeight = Tensor(shape: [featureCount, hiddenSize]) { values in
      for index in values.indices {
        values[index] = Scalar(bound * (2 * stream.nextUnit() - 1))
      }
    }
  }

  /// The same adapter in another scalar type.
  public func converted<Other: TensorScalar>(to _: Other.Type = Other.self)
    -> TranscoderAdapter<Other>
  {
    TranscoderAdapter<Other>(
      encoderWeight: encoderWeight.converted(), encoderBias: encoderBias.converted(),
      decoderWeight: decoderWeight.converted(), decoderBias: decoderBias.converted())
  }

  /// `‖d_i‖₂` for every feature `i`: the column norms of `W_dec`, `[F]`, each accumulated in
  /// `Double` over `d` in index order.
  public func decoderNorms() -> Tensor<Scalar> {
    let (hidden, features) = (hiddenSize, featureCount)
    return Tensor(shape: [features]) { out in
      decoderWeight.withUnsafeBufferPointer { w in
        for feature in 0..<features {
          var sum: Double = 0
          for row in 0..<hidden {
            let value = Double(w[row * features + feature])
            sum += value * value
          }
          out[feature] = Scalar(sum.squareRoot())
        }
      }
    }
  }

  /// Checks that `adapters` fit a model of `configuration`: one per layer, each reading and
  /// writing width `d`, all with one `F > 0`.
  /// - Throws: `ModelError(.mismatch)` saying what does not fit.
  public static func checkFit(_ adapters: [TranscoderAdapter], configuration c: Qwen2Configuration)
    throws
  {
    let features = adapters.first?.featureCount ?? 0
    guard adapters.count == c.layerCount, features > 0,
      adapters.allSatisfy({ $0.hiddenSize == c.hiddenSize && $0.featureCount == features })
    else {
      throw ModelError(
        .mismatch,
        "\(adapters.count) adapters for \(c.layerCount) layers of width \(c.hiddenSize); give "
          + "one adapter per layer, each [F, \(c.hiddenSize)] with the same F > 0")
    }
  }
}
