import Dispatch
import Foundation
import VouchEngine

/// Generates a model's responses to held-out problems and scores them (METHOD §8.5).
///
/// Every response is one job `(problem p, sample s)` with its own derived sampling seed and its
/// own KV cache, run with a one-thread ``VouchEngine/ComputeContext`` of the caller's profile.
/// `context.threads` only decides which worker runs a job (worker `w` takes jobs `w, w + t, …`),
/// never how, so the report is bitwise identical for any thread count.
public struct OrganismEvaluator: Sendable {
  /// The model that answers.
  public let model: Qwen2Model
  /// How it answers.
  public let settings: OrganismEvaluationSettings

  /// An evaluator of `model` (whose vocabulary must hold the organism's 31 tokens).
  /// - Throws: `ModelError(.mismatch)` when the model's vocabulary is smaller than the organism's.
  public init(model: Qwen2Model, settings: OrganismEvaluationSettings) throws {
    let size = model.configuration.vocabularySize
    guard size >= OrganismVocabulary.size else {
      throw ModelError(
        .mismatch,
        "the model's vocabulary has \(size) tokens but the organism's has "
          + "\(OrganismVocabulary.size); evaluate a model trained on the organism vocabulary")
    }
    self.model = model
    self.settings = settings
  }

  /// Generates and scores `settings.samplesPerProblem` responses to each of `problems`.
  /// - Parameters:
  ///   - problems: the held-out problems
  ///     (``OrganismDataGenerator/evaluationProblems(count:)``).
  ///   - context: the profile of every forward, and how many responses run at once.
  /// - Returns: the report, records ordered by problem, then sample.
  /// - Throws: the first (by job order) `ModelError` of the forward.
  public func evaluate(_ problems: [ArithmeticProblem], context: ComputeContext) throws
    -> OrganismEvaluationReport
  {
    let samples = settings.samplesPerProblem
    let jobs = problems.count * samples
    let slots = Slots(count: jobs)
    let perJob = ComputeContext(profile: context.profile, threads: 1)
    let run: @Sendable (Int) -> Void = { [self] job in
      let result = Result {
        try record(
          problem: problems[job / samples], index: job / samples, sample: job % samples,
          context: perJob)
      }
      slots.store(result, at: job)
    }
    let workers = min(context.threads, jobs)
    if workers <= 1 {
      for job in 0..<jobs { run(job) }
    } else {
      DispatchQueue.concurrentPerform(iterations: workers) { worker in
        for job in stride(from: worker, to: jobs, by: workers) { run(job) }
      }
    }
    let records = try slots.results().map { try $0.get() }
    return OrganismEvaluationReport(settings: settings, records: records)
  }

  /// Generates and scores sample `sample` of `problem`, the `index`-th problem of the list.
  /// - Throws: `ModelError` of the forward.
  public func record(
    problem: ArithmeticProblem, index: Int, sample: Int, context: ComputeContext
  ) throws -> OrganismEvaluationRecord {
    let prompt = OrganismExample.generationPrompt(
      for: problem, reasoning: settings.reasoningPrompt)
    let parameters = settings.generationParameters(problem: index, sample: sample)
    let response = try model.generate(prompt: prompt, parameters: parameters, context: context)
    let parsed = OrganismMetrics.finalAnswer(
      OrganismEvaluationRecord.scoredIDs(
        response: response, reasoningPrompt: settings.reasoningPrompt))
    return OrganismEvaluationRecord(
      problem: problem.text, answer: problem.answer, problemIndex: index, sampleIndex: sample,
      seed: parameters.seed, promptIDs: prompt, responseIDs: response, parsedAnswer: parsed,
      correct: parsed == problem.answer, length: OrganismMetrics.length(response),
      hesitations: OrganismMetrics.hesitationCount(response),
      stopped: response.contains(OrganismVocabulary.eos))
  }
}

/// One result slot per job, written once each by whichever worker ran the job.
private final class Slots: @unchecked Sendable {
  private let lock = NSLock()
  private var values: [Result<OrganismEvaluationRecord, any Error>?]

  init(count: Int) { values = Array(repeating: nil, count: count) }

  func store(_ value: Result<OrganismEvaluationRecord, any Error>, at index: Int) {
    lock.withLock { values[index] = value }
  }

  /// Every slot's result in job order (each was written exactly once by `evaluate`).
  func results() -> [Result<OrganismEvaluationRecord, any Error>] {
    lock.withLock {
      values.map {
        $0 ?? .failure(ModelError(.missing, "an evaluation job produced no result; rerun it"))
      }
    }
  }
}
