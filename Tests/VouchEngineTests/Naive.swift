import VouchEngine
import VouchTestSupport

/// Straightforward Double references the kernels are checked against.
enum Naive {
  /// `[rows, inner] · [out, inner]ᵀ + bias`.
  static func linear(
    _ x: [Double], rows: Int, inner: Int, _ w: [Double], out: Int,
    bias: [Double]?
  ) -> [Double] {
    var y = [Double](repeating: 0, count: rows * out)
    for r in 0..<rows {
      for o in 0..<out {
        var sum = bias?[o] ?? 0
        for i in 0..<inner { sum += x[r * inner + i] * w[o * inner + i] }
        y[r * out + o] = sum
      }
    }
    return y
  }

  /// Causal GQA attention, one query row and one head at a time.
  static func attention(
    q: [Double], k: [Double], v: [Double], queries: Int, keys: Int,
    heads: Int, kvHeads: Int, dh: Int
  ) -> [Double] {
    var out = [Double](repeating: 0, count: queries * heads * dh)
    let group = heads / kvHeads
    for h in 0..<heads {
      let kvh = h / group
      for t in 0..<queries {
        let visible = keys - queries + t + 1
        var scores = (0..<visible).map { s -> Double in
          var dot = 0.0
          for i in 0..<dh {
            dot += q[t * heads * dh + h * dh + i] * k[s * kvHeads * dh + kvh * dh + i]
          }
          return dot / Double(dh).squareRoot()
        }
        let top = scores.max() ?? 0
        scores = scores.map { Double.exponential($0 - top) }
        let total = scores.reduce(0, +)
        for s in 0..<visible {
          for i in 0..<dh {
            out[t * heads * dh + h * dh + i] +=
              scores[s] / total * v[s * kvHeads * dh + kvh * dh + i]
          }
        }
      }
    }
    return out
  }
}

/// A `[shape]` Float tensor of normal-ish values with standard deviation `scale`.
func randomTensor(_ shape: [Int], scale: Float = 1, generator: inout SeededGenerator)
  -> Tensor<Float>
{
  let count = shape.reduce(1, *)
  let values = (0..<count).map { _ -> Float in
    let sum = (0..<4).reduce(Float(0)) { partial, _ in
      partial + Float.random(in: -1...1, using: &generator)
    }
    return sum * scale * 0.866
  }
  return Tensor(shape: shape, scalars: values)
}

/// Largest absolute difference between a Float result and a Double reference.
func maxError(_ actual: Tensor<Float>, _ expected: [Double]) -> Double {
  zip(actual.scalars, expected).reduce(0) { max($0, abs(Double($1.0) - $1.1)) }
}
