import Foundation
import VouchModels

/// `training.json` of `adapter-train` (snake-case keys, sorted): the run's size and the loss log
/// of METHOD.md §8.4, summarised for claims.
///
/// "First" and "final" values are means over the first and the last tenth of the steps (at
/// least one step), so one noisy sequence does not decide a claim.
struct AdapterTrainingSummary: Encodable {
  /// Optimiser steps taken.
  var steps: Int
  /// Training sequences (the first 90% of the data).
  var trainSequences: Int
  /// Validation sequences (the rest), left for `adapter-evaluate`.
  var validationSequences: Int
  /// `T_max`, the truncation length.
  var maximumLength: Int
  /// Mean weighted total loss over the first tenth of the steps.
  var firstLoss: Double
  /// Mean weighted total loss over the last tenth of the steps.
  var finalLoss: Double
  /// Mean `KL(p_R ‖ q_replacement)` over the first tenth of the steps, nats.
  var firstOutputKL: Double
  /// Mean `KL(p_R ‖ q_replacement)` over the last tenth of the steps, nats.
  var finalOutputKL: Double
  /// Per layer, the mean L0 (active features per token) over the last tenth of the steps.
  var finalL0: [Double]
  /// The mean of ``finalL0`` over layers.
  var finalMeanL0: Double
  /// Per layer, features silent for the last 100 or more sequences, after the last step.
  var deadFeatures: [Int]
  /// Per layer, features silent for the last 1,000 or more sequences, after the last step.
  var longDeadFeatures: [Int]
  /// The weighted total loss of every step.
  var losses: [Double]

  private enum CodingKeys: String, CodingKey {
    case steps, trainSequences, validationSequences, maximumLength, firstLoss, finalLoss
    case firstOutputKL = "first_output_kl"
    case finalOutputKL = "final_output_kl"
    case finalL0 = "final_l0"
    case finalMeanL0 = "final_mean_l0"
    case deadFeatures, longDeadFeatures, losses
  }

  /// The summary of `log`, a run on `inputs.train`.
  init(log: [AdapterTrainingStep], inputs: AdapterStageInputs) {
    steps = log.count
    trainSequences = inputs.train.count
    validationSequences = inputs.validation.count
    maximumLength = inputs.maximumLength
    let tenth = max(1, log.count / 10)
    func mean(_ slice: ArraySlice<AdapterTrainingStep>, _ value: (AdapterTrainingStep) -> Double)
      -> Double
    {
      slice.reduce(0) { $0 + value($1) } / Double(max(1, slice.count))
    }
    let (head, tail) = (log.prefix(tenth), log.suffix(tenth))
    firstLoss = mean(head) { $0.terms.total }
    finalLoss = mean(tail) { $0.terms.total }
    firstOutputKL = mean(head) { $0.terms.outputKL }
    finalOutputKL = mean(tail) { $0.terms.outputKL }
    let layers = log.last?.terms.activeFeatures.count ?? 0
    finalL0 = (0..<layers).map { layer in mean(tail) { $0.terms.activeFeatures[layer] } }
    finalMeanL0 = finalL0.reduce(0, +) / Double(max(1, layers))
    deadFeatures = log.last?.deadFeatures ?? []
    longDeadFeatures = log.last?.longDeadFeatures ?? []
    losses = log.map(\.terms.total)
  }
}
