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
