import Testing
import VouchEngine
import VouchTestSupport

@Suite("Tensor value semantics")
struct TensorTests {
  @Test func copiesAreIndependentAfterWrite() {
    let a = Tensor<Float>(shape: [2, 2], scalars: [1, 2, 3, 4])
    var b = a
    b[0, 1] = 9
    #expect(a.scalars == [1, 2, 3, 4])
    #expect(b.scalars == [1, 9, 3, 4])
  }

  @Test func reshapeKeepsRowMajorOrder() {
    let a = Tensor<Double>(shape: [2, 3], scalars: [0, 1, 2, 3, 4, 5])
    let b = a.reshaped([3, 2])
    #expect(b[2, 1] == 5 && b[1, 0] == 2)
    #expect(a.rows(1..<2).scalars == [3, 4, 5])
    #expect(a.concatenatingRows(a.rows(0..<1)).shape == [3, 3])
  }

  @Test func bitwiseEqualityDistinguishesSignedZero() {
    let a = Tensor<Float>(shape: [1], scalars: [0])
    let b = Tensor<Float>(shape: [1], scalars: [-0.0])
    #expect(a == b)
    #expect(!a.isBitwiseEqual(to: b))
  }
}

@Suite("Degenerate products")
struct DegenerateProductTests {
  @Test(arguments: [ComputeProfile.exact, .fast])
  func anEmptyInnerDimensionGivesZeros(profile: ComputeProfile) {
    let x = Tensor<Float>(shape: [3, 0])
    let w = Tensor<Float>(shape: [5, 0])
    let y = x.linear(weight: w, context: ComputeContext(profile: profile, threads: 2))
    #expect(y.shape == [3, 5])
    #expect(y.scalars == [Float](repeating: 0, count: 15))
    #expect(
      Tensor<Float>(shape: [0, 4]).linear(weight: Tensor(shape: [2, 4]), context: .reference)
        .shape == [0, 2])
  }
}
