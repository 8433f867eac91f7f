import Foundation
import VouchEngine
import VouchModels
import VouchTestSupport

/// The committed PyTorch RelP reference (Tests/Fixtures/relp/, written by scripts/fixtures/relp.py
/// from METHOD.md §6.4 on the tiny models of Tests/Fixtures/adapter/).
struct RelPReference: Decodable {
  /// One target row as the reference computed it.
  struct Row: Decodable {
    let value: Double
    let featureEdges: [Double]
    let tokenEdges: [Double]
    let biasTotal: Double
    let completenessError: Double
    let token: Int?
    let probability: Double?
    let layer: Int?
    let position: Int?
    let index: Int?

    enum CodingKeys: String, CodingKey {
      case value, token, probability, layer, position, index
      case featureEdges = "feature_edges"
      case tokenEdges = "token_edges"
      case biasTotal = "bias_total"
      case completenessError = "completeness_error"
    }

  }

  /// Everything for one dtype.
  struct Precision: Decodable {
    /// `[layer, position, index, f]` of every active feature, in the rows' edge order.
    let active: [[Double]]
    let logits: [Row]
    let feature: Row

    /// `row`'s feature edges keyed by address.
    func edgesByFeature(_ row: Row) -> [FeatureAddress: Double] {
      var result: [FeatureAddress: Double] = [:]
      for (entry, edge) in zip(active, row.featureEdges) {
        let address = FeatureAddress(
          layer: Int(entry[0]), position: Int(entry[1]), index: Int(entry[2]))
        result[address] = edge
      }
      return result
    }
  }

  let ids: [Int]
  let float64: Precision
  let float32: Precision

  static func load() throws -> RelPReference {
    let data = try Data(contentsOf: Fixtures.url("relp/expected.json"))
    return try JSONDecoder().decode(RelPReference.self, from: data)
  }

  /// `max |a − e| / max |e|` over the union of features (missing = 0), the token edges, the bias
  /// total and the value.
  static func relativeError(
    _ row: AttributionRow, active: [FeatureAddress], _ expected: Row, in precision: Precision
  ) -> Double {
    var actual: [FeatureAddress: Double] = [:]
    for (address, edge) in zip(active, row.featureEdges) where edge != 0 { actual[address] = edge }
    let reference = precision.edgesByFeature(expected)
    var pairs: [(Double, Double)] = Set(actual.keys).union(reference.keys).map {
      (actual[$0] ?? 0, reference[$0] ?? 0)
    }
    pairs += zip(row.tokenEdges, expected.tokenEdges).map { ($0, $1) }
    pairs += [(row.biasTotal, expected.biasTotal), (row.value, expected.value)]
    let scale = pairs.map { abs($0.1) }.max() ?? 0
    let worst = pairs.map { abs($0.0 - $0.1) }.max() ?? 0
    return worst / max(scale, 1e-30)
  }
}
