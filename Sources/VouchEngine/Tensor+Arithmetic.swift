extension Tensor {
  /// Elementwise sum of two tensors of the same shape.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
    var result = lhs
    result.add(rhs)
    return result
  }

  /// Elementwise product of two tensors of the same shape.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public static func * (lhs: Tensor, rhs: Tensor) -> Tensor {
    precondition(lhs.shape == rhs.shape, "elementwise product: \(lhs.shape) vs \(rhs.shape)")
    var result = lhs
    result.withUnsafeMutableBufferPointer { out in
      rhs.withUnsafeBufferPointer { right in
        for index in 0..<out.count { out[index] *= right[index] }
      }
    }
    return result
  }

  /// Every element multiplied by `factor`.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public func scaled(by factor: Scalar) -> Tensor {
    var result = self
    result.withUnsafeMutableBufferPointer { out in
      for index in 0..<out.count { out[index] *= factor }
    }
    return result
  }

  /// Adds `other` (same shape) in place: the residual-stream update.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public mutating func add(_ other: Tensor) {
    precondition(shape == other.shape, "elementwise sum: \(shape) vs \(other.shape)")
    withUnsafeMutableBufferPointer { out in
      other.withUnsafeBufferPointer { right in
        for index in 0..<out.count { out[index] += right[index] }
      }
    }
  }

  /// Adds `vector` (`[columns]`) to every row of `self` (`[…, columns]`) in place: a bias.
  @_specialize(where Scalar == Float)
  @_specialize(where Scalar == Double)
  public mutating func addRowVector(_ vector: Tensor) {
    let columns = shape.last ?? 1
    precondition(vector.count == columns, "row vector \(vector.shape) for rows of \(columns)")
    withUnsafeMutableBufferPointer { out in
      vector.withUnsafeBufferPointer { bias in
        var offset = 0
        while offset < out.count {
          for column in 0..<columns { out[offset + column] += bias[column] }
          offset += columns
        }
      }
    }
  }

  /// Rows `range` of a `[rows, …]` tensor, copied: `[range.count, …]`.
  public func rows(_ range: Range<Int>) -> Tensor {
    precondition(
      rank >= 1 && range.lowerBound >= 0 && range.upperBound <= shape[0],
      "rows \(range) of \(shape)")
    let width = shape[0] == 0 ? 0 : count / shape[0]
    return Tensor(shape: [range.count] + shape.dropFirst()) { out in
      withUnsafeBufferPointer { source in
        for index in 0..<out.count { out[index] = source[range.lowerBound * width + index] }
      }
    }
  }

  /// `self` (`[r1, …]`) followed by `other` (`[r2, …]`) along the first axis: `[r1 + r2, …]`.
  public func concatenatingRows(_ other: Tensor) -> Tensor {
    precondition(
      Array(shape.dropFirst()) == Array(other.shape.dropFirst()),
      "concatenate rows: \(shape) and \(other.shape)")
    let first = count
    return Tensor(shape: [shape[0] + other.shape[0]] + shape.dropFirst()) { out in
      withUnsafeBufferPointer { left in
        for index in 0..<first { out[index] = left[index] }
      }
      other.withUnsafeBufferPointer { right in
        for index in 0..<right.count { out[first + index] = right[index] }
      }
    }
  }

  /// The elements converted to another scalar type (e.g. `Float` → `Double` for gradient checks).
  public func converted<Other: TensorScalar>(to _: Other.Type = Other.self) -> Tensor<Other> {
    Tensor<Other>(shape: shape) { out in
      withUnsafeBufferPointer { source in
        for index in 0..<out.count { out[index] = Other(source[index]) }
      }
    }
  }

  /// The largest absolute elementwise difference to `other` (same shape).
  public func maxAbsoluteDifference(_ other: Tensor) -> Scalar {
    precondition(shape == other.shape, "difference: \(shape) vs \(other.shape)")
    var worst: Scalar = 0
    withUnsafeBufferPointer { left in
      other.withUnsafeBufferPointer { right in
        for index in 0..<left.count {
          let difference = abs(left[index] - right[index])
          if !(difference <= worst) { worst = difference }
        }
      }
    }
    return worst
  }
}
