extension Tensor {
  /// Rows `ids` of a `[rows, width]` table, in order: the embedding lookup. Returns
  /// `[ids.count, width]`.
  /// - Precondition: every id is in `0..<rows` (callers validate user input first).
  public func gatherRows(_ ids: [Int]) -> Tensor {
    precondition(rank == 2, "gatherRows: table must be [rows, width], got \(shape)")
    let (rows, width) = (shape[0], shape[1])
    return Tensor(shape: [ids.count, width]) { out in
      withUnsafeBufferPointer { table in
        for (row, id) in ids.enumerated() {
          precondition(id >= 0 && id < rows, "gatherRows: id \(id) outside 0..<\(rows)")
          for column in 0..<width { out[row * width + column] = table[id * width + column] }
        }
      }
    }
  }
}

extension Tensor {
  /// Backward of ``gatherRows(_:)``: adds row `i` of `gradient` (`[ids.count, width]`) into row
  /// `ids[i]` of a zero `[rows, width]` table, in token order (a repeated id sums its rows in the
  /// order they occur, whatever the thread count).
  public static func scatterAddRows(_ gradient: Tensor, ids: [Int], rows: Int) -> Tensor {
    precondition(gradient.rank == 2 && gradient.shape[0] == ids.count, "scatterAddRows shape")
    let width = gradient.shape[1]
    return Tensor(shape: [rows, width]) { out in
      gradient.withUnsafeBufferPointer { source in
        for (row, id) in ids.enumerated() {
          precondition(id >= 0 && id < rows, "scatterAddRows: id \(id) outside 0..<\(rows)")
          for column in 0..<width { out[id * width + column] += source[row * width + column] }
        }
      }
    }
  }
}
