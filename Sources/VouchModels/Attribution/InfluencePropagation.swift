// Influence by power iteration over row-normalised |A| (circuit-tracer's compute_influence and
// compute_partial_influences), used by the node budget and by pruning.

/// Influence of nodes on weighted targets: `w·B + w·B² + …` with `B` the row-normalised `|A|`.
public enum InfluencePropagation {
  /// Row-normalises `|rows|`: each row divided by `max(Σ_j |row_j|, floor)` (sums in index
  /// order, in `Double`).
  /// - Parameters:
  ///   - rows: `[rowCount, columns]` row-major.
  ///   - columns: the row width.
  ///   - floor: the smallest row sum used as a divisor.
  /// - Returns: the normalised `|rows|`, same shape.
  public static func normalisedAbsoluteRows(_ rows: [Double], columns: Int, floor: Double)
    -> [Double]
  {
    var result = rows.map(abs)
    guard columns > 0 else { return result }
    for start in stride(from: 0, to: result.count, by: columns) {
      var sum = 0.0
      for j in start..<(start + columns) { sum += result[j] }
      let divisor = max(sum, floor)
      for j in start..<(start + columns) { result[j] /= divisor }
    }
    return result
  }

  /// `Σ_{k ≥ 1} x_k` with `x_0 = seed` and `x_k[s] = Σ_r x_{k−1}[rowNodes[r]] · B[r, s]`, until
  /// `x_k` is all zero (at most `maxIterations` steps; an acyclic graph stops after its depth).
  /// - Parameters:
  ///   - normalised: `B`, `[rowNodes.count, nodeCount]` row-major (already normalised).
  ///   - rowNodes: the node each row belongs to.
  ///   - seed: `x_0`, `[nodeCount]` (the target weights).
  ///   - maxIterations: a bound for graphs with cycles (default 128, circuit-tracer's).
  /// - Returns: the influence of every node, `[nodeCount]` (targets' own weight not included).
  public static func influence(
    normalised: [Double], rowNodes: [Int], seed: [Double], maxIterations: Int = 128
  ) -> [Double] {
    let nodes = seed.count
    precondition(normalised.count == rowNodes.count * nodes, "normalised matrix shape")
    var total = [Double](repeating: 0, count: nodes)
    var current = seed
    for _ in 0..<maxIterations {
      var next = [Double](repeating: 0, count: nodes)
      for (row, node) in rowNodes.enumerated() where current[node] != 0 {
        let weight = current[node]
        let start = row * nodes
        for column in 0..<nodes where normalised[start + column] != 0 {
          next[column] += weight * normalised[start + column]
        }
      }
      guard next.contains(where: { $0 != 0 }) else { break }
      for column in 0..<nodes { total[column] += next[column] }
      current = next
    }
    return total
  }
}
