// The non-KL terms of METHOD.md §2: hidden-state NMSE (§2.3) and the decoder-norm-weighted L1
// penalty (§2.4), each with its gradient. The KL terms use VouchEngine's `Loss.tokenKL`.
import VouchEngine

/// The hidden-state and sparsity terms of the adapter objective, values in `Double`.
public enum AdapterLoss {
  /// The `1e-8` that keeps NMSE finite on an all-zero target state (added per element).
  public static let nmseEpsilon = 1e-8

  /// `NMSE = Σ_{t,j} (ĥ − h)² / (Σ_{t,j} h² + 1e-8 · N_el)`, a ratio of sums over all tokens and
  /// channels (`N_el = tokens · d`), and its gradient `scale · 2 (ĥ − h) / denominator`.
  /// - Parameters:
  ///   - model: `ĥ`, `[tokens, d]`.
  ///   - target: `h`, `[tokens, d]`, constant.
  ///   - scale: multiplies the gradient (the term's weight in the total loss).
  /// - Returns: the value (sums in `Double`, element order) and `∂(scale·NMSE)/∂ĥ`.
  public static func normalizedSquaredError<Scalar: TensorScalar>(
    model: Tensor<Scalar>, target: Tensor<Scalar>, scale: Double = 1
  ) -> (value: Double, gradient: Tensor<Scalar>) {
    precondition(model.shape == target.shape, "NMSE: \(model.shape) vs \(target.shape)")
    var (squaredError, squaredNorm) = (0.0, 0.0)
    var difference = model
    difference.withUnsafeMutableBufferPointer { d in
      target.withUnsafeBufferPointer { h in
        for index in d.indices {
          d[index] -= h[index]
          let error = Double(d[index])
          let value = Double(h[index])
          squaredError += error * error
          squaredNorm += value * value
        }
      }
    }
    let denominator = squaredNorm + nmseEpsilon * Double(model.count)
    return (squaredError / denominator, difference.scaled(by: Scalar(2 * scale / denominator)))
  }

  /// `S = (1/T) Σ_t Σ_i f_{t,i} · ‖d_i‖₂` of one layer and its gradients.
  ///
  /// `∂S/∂f_{t,i} = ‖d_i‖ / T`; `∂S/∂d_i = (Σ_t f_{t,i} / T) · d_i / ‖d_i‖`, defined as 0 when
  /// `‖d_i‖ = 0` (PyTorch's norm backward masks zero norms; `W_dec` starts at 0).
  /// - Parameters:
  ///   - features: `f`, `[tokens, F]`.
  ///   - decoder: `W_dec`, `[d, F]` (column `i` is `d_i`).
  ///   - scale: multiplies both gradients (`λ_L1`).
  /// - Returns: `S`, `∂(scale·S)/∂f` (`[tokens, F]`) and `∂(scale·S)/∂W_dec` (`[d, F]`).
  public static func sparsity<Scalar: TensorScalar>(
    features: Tensor<Scalar>, decoder: Tensor<Scalar>, scale: Double
  ) -> (value: Double, features: Tensor<Scalar>, decoder: Tensor<Scalar>) {
    let (tokens, count) = (features.shape[0], features.shape[1])
    let hidden = decoder.shape[0]
    precondition(decoder.shape == [hidden, count], "sparsity: decoder \(decoder.shape)")
    var norms = [Double](repeating: 0, count: count)
    decoder.withUnsafeBufferPointer { w in
      for row in 0..<hidden {
        for feature in 0..<count {
          let value = Double(w[row * count + feature])
          norms[feature] += value * value
        }
      }
    }
    norms = norms.map { Double(Scalar($0.squareRoot())) }
    var columnSums = [Double](repeating: 0, count: count)
    var total = 0.0
    features.withUnsafeBufferPointer { f in
      for token in 0..<tokens {
        for feature in 0..<count {
          let value = Double(f[token * count + feature])
          columnSums[feature] += value
          total += value * norms[feature]
        }
      }
    }
    let share = scale / Double(max(1, tokens))
    let featureGradient = Tensor<Scalar>(shape: [tokens, count]) { out in
      for token in 0..<tokens {
        for feature in 0..<count { out[token * count + feature] = Scalar(norms[feature] * share) }
      }
    }
    let decoderGradient = Tensor<Scalar>(shape: [hidden, count]) { out in
      decoder.withUnsafeBufferPointer { w in
        for feature in 0..<count where norms[feature] > 0 {
          let factor = columnSums[feature] * share / norms[feature]
          for row in 0..<hidden {
            out[row * count + feature] = Scalar(factor * Double(w[row * count + feature]))
          }
        }
      }
    }
    return (total / Double(max(1, tokens)), featureGradient, decoderGradient)
  }

  /// L0: the mean over tokens of the number of features with `f > 0`.
  /// - Parameter features: `f`, `[tokens, F]`.
  /// - Returns: the mean active-feature count per token.
  public static func activeFeatureCount<Scalar: TensorScalar>(_ features: Tensor<Scalar>)
    -> Double
  {
    let tokens = features.shape[0]
    let active = features.withUnsafeBufferPointer { f in f.reduce(0) { $0 + ($1 > 0 ? 1 : 0) } }
    return Double(active) / Double(max(1, tokens))
  }

  /// Whether each feature fires (`f > 0`) at any token.
  /// - Parameter features: `f`, `[tokens, F]`.
  /// - Returns: `[F]` flags.
  public static func firedFeatures<Scalar: TensorScalar>(_ features: Tensor<Scalar>) -> [Bool] {
    let count = features.shape[1]
    var fired = [Bool](repeating: false, count: count)
    features.withUnsafeBufferPointer { f in
      for index in f.indices where f[index] > 0 { fired[index % count] = true }
    }
    return fired
  }
}
