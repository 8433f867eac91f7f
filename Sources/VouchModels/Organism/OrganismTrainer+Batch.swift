// One batch's gradients, its sequences spread over threads. The reduction over the batch stays
// serial and in data order, so the bits do not depend on the thread count.
import Foundation
import VouchEngine

extension OrganismTrainer {
  /// The summed (not yet averaged) gradients of the tensors at `paths` over `batch`, and the sum
  /// of the sequences' token-mean losses.
  ///
  /// With `context.threads > 1` and more than one sequence, sequence `i` of the batch runs on
  /// worker `i mod workers` (a fixed assignment), each worker on one thread of its own
  /// (BLAS calls on these tiny matrices gain nothing from more); otherwise the sequences run in
  /// turn on `context`. Either way the per-sequence gradients are then added in data order
  /// (`g₀ + g₁ + …`, left to right), so the result is bitwise the same for every thread count.
  /// - Parameters:
  ///   - parameters: the model, read only.
  ///   - batch: the step's sequences in data order (at least one).
  ///   - paths: the trained tensors, `[tensor]` gradients returned in this order.
  ///   - context: profile and threads.
  /// - Returns: the summed gradients in `paths` order and the summed loss of the batch.
  static func batchGradients(
    _ parameters: Qwen2Parameters<Float>, batch: [OrganismTrainingSequence],
    paths: [WritableKeyPath<Qwen2Parameters<Float>, Tensor<Float>>], context: ComputeContext
  ) -> (gradients: [Tensor<Float>], lossSum: Double) {
    let workers = min(context.threads, batch.count)
    let perSequence: [(gradients: [Tensor<Float>], loss: Double)]
    if workers <= 1 {
      perSequence = batch.map {
        sequenceGradients(parameters, $0, paths: paths, context: context)
      }
    } else {
      let slots = GradientSlots(count: batch.count)
      let single = ComputeContext(profile: context.profile, threads: 1)
      let sendablePaths = SendablePaths(paths)
      DispatchQueue.concurrentPerform(iterations: workers) { worker in
        for index in stride(from: worker, to: batch.count, by: workers) {
          let result = sequenceGradients(
            parameters, batch[index], paths: sendablePaths.paths, context: single)
          slots.store(result, at: index)
        }
      }
      perSequence = slots.values()
    }
    var gradients = perSequence[0].gradients
    var lossSum = perSequence[0].loss
    for entry in perSequence.dropFirst() {
      lossSum += entry.loss
      for index in gradients.indices { gradients[index].add(entry.gradients[index]) }
    }
    return (gradients, lossSum)
  }

  /// One sequence's training forward and backward: the gradients of the tensors at `paths`
  /// (`[tensor]` each, in `paths` order) and its token-mean cross-entropy.
  private static func sequenceGradients(
    _ parameters: Qwen2Parameters<Float>, _ sequence: OrganismTrainingSequence,
    paths: [WritableKeyPath<Qwen2Parameters<Float>, Tensor<Float>>], context: ComputeContext
  ) -> (gradients: [Tensor<Float>], loss: Double) {
    let (logits, activations) = parameters.forward(sequence.inputs, context: context)
    let loss = Loss.crossEntropy(logits: logits, targets: sequence.targets)
    let all = parameters.backward(activations, logitsGradient: loss.gradient, context: context)
    return (paths.map { all[keyPath: $0] }, loss.loss)
  }
}

/// Key paths carried into `concurrentPerform` (they are immutable values; Swift does not yet
/// mark `WritableKeyPath` `Sendable`).
private struct SendablePaths: @unchecked Sendable {
  let paths: [WritableKeyPath<Qwen2Parameters<Float>, Tensor<Float>>]
  init(_ paths: [WritableKeyPath<Qwen2Parameters<Float>, Tensor<Float>>]) { self.paths = paths }
}

/// One result slot per sequence of the batch, written once each by the worker that ran it.
private final class GradientSlots: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [(gradients: [Tensor<Float>], loss: Double)?]

  init(count: Int) { slots = Array(repeating: nil, count: count) }

  func store(_ value: (gradients: [Tensor<Float>], loss: Double), at index: Int) {
    lock.withLock { slots[index] = value }
  }

  /// Every slot in batch order; each was filled by `batchGradients`' workers before this runs.
  func values() -> [(gradients: [Tensor<Float>], loss: Double)] {
    lock.withLock { slots.compactMap { $0 } }
  }
}
