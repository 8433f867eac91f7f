extension Tensor {
  /// SiLU (swish), `x · σ(x) = x / (1 + e^(−x))`, elementwise; any shape.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func silu() -> Tensor {
    var result = self
    result.withUnsafeMutableBufferPointer { out in
      for index in 0..<out.count {
        let x = out[index]
        out[index] = x / (1 + Scalar.exponential(-x))
      }
    }
    return result
  }

  /// ReLU, `max(x, 0)`, elementwise; any shape (a NaN stays NaN, as `torch.relu`).
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func relu() -> Tensor {
    var result = self
    result.withUnsafeMutableBufferPointer { out in
      for index in 0..<out.count where out[index] < 0 { out[index] = 0 }
    }
    return result
  }

  /// Softmax over the last axis (`[…, classes]`), computed as `e^(x − max) / Σ e^(x − max)`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func softmax() -> Tensor {
    let columns = shape.last ?? 1
    var result = self
    guard columns > 0 else { return result }
    result.withUnsafeMutableBufferPointer { out in
      guard let base = out.baseAddress else { return }
      var offset = 0
      while offset < out.count {
        Tensor.softmaxInPlace(base + offset, count: columns)
        offset += columns
      }
    }
    return result
  }

  /// Softmax of `count` contiguous elements in place (`−∞` entries become 0).
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func softmaxInPlace(_ row: UnsafeMutablePointer<Scalar>, count: Int) {
    var largest = -Scalar.infinity
    for index in 0..<count where row[index] > largest { largest = row[index] }
    var sum: Scalar = 0
    for index in 0..<count {
      let value = Scalar.exponential(row[index] - largest)
      row[index] = value
      sum += value
    }
    for index in 0..<count { row[index] /= sum }
  }
}
