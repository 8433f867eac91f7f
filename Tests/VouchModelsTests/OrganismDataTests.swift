import Testing

@testable import VouchModels

/// The organism's data generator: determinism, correct answers (recomputed by an independent
/// parser), formats, hesitation statistics, and train/evaluation disjointness.
@Suite struct OrganismDataTests {
  @Test func sameSeedSameDataOtherSeedOtherData() {
    let a = OrganismDataGenerator(seed: 11)
    let b = OrganismDataGenerator(seed: 11)
    let c = OrganismDataGenerator(seed: 12)
    #expect(a.baseExamples(count: 200) == b.baseExamples(count: 200))
    #expect(a.reasoningExamples(count: 200) == b.reasoningExamples(count: 200))
    #expect(a.evaluationProblems(count: 50) == b.evaluationProblems(count: 50))
    #expect(
      a.adapterSequences(count: 50, maximumLength: 64).train
        == b.adapterSequences(count: 50, maximumLength: 64).train)
    #expect(a.baseExamples(count: 200) != c.baseExamples(count: 200))
    #expect(a.reasoningExamples(count: 200) != c.reasoningExamples(count: 200))
    #expect(a.evaluationProblems(count: 50) != c.evaluationProblems(count: 50))
    // A prefix does not depend on how many were asked for.
    #expect(Array(a.reasoningExamples(count: 200).prefix(50)) == a.reasoningExamples(count: 50))
  }

  @Test func answersAreCorrectAndFormatsHold() throws {
    let generator = OrganismDataGenerator(seed: 3)
    var styles: [OrganismExample.Style: Int] = [:]
    for example in generator.baseExamples(count: 1000) {
      styles[example.style, default: 0] += 1
      let expected = try #require(IndependentEvaluator.value(of: example.problem.text))
      #expect(example.problem.answer == expected)
      #expect(example.prompt == "<bos><user>\(example.problem.text)<assistant>")
      #expect(!example.response.contains("<think>") && !example.response.contains("</think>"))
      #expect(!example.response.contains("wait") && !example.response.contains("hmm"))
      #expect(example.response.hasSuffix("<eos>"))
      let response = try #require(OrganismVocabulary.encode(example.response))
      #expect(OrganismMetrics.finalAnswer(response) == expected)
      let operations = example.problem.operationCount
      #expect(example.style == .fact ? operations == 1 : (2...3).contains(operations))
      if example.style == .terse {
        #expect(example.response.split(separator: "\n").count == operations + 1)
      }
    }
    #expect(styles.count == 3)
    for example in generator.reasoningExamples(count: 1000) {
      let expected = try #require(IndependentEvaluator.value(of: example.problem.text))
      #expect(example.response.hasPrefix("<think>\n"))
      #expect(example.response.hasSuffix("</think>\(expected)<eos>"))
      let response = try #require(OrganismVocabulary.encode(example.response))
      #expect(OrganismMetrics.finalAnswer(response) == expected)
      #expect(!example.problem.text.contains("-") || expected >= 0)
    }
  }

  /// Both re-check rules: the hard-step rule (default) and METHOD §8.2's context-free rate.
  @Test(arguments: [true, false])
  func hesitationStatisticsMatchTheConfiguration(hardStepRule: Bool) throws {
    var configuration = OrganismDataConfiguration()
    configuration.recheckHardSteps = hardStepRule
    var steps = 0
    var corrections = 0
    var lineStartCorrections = 0
    var rechecks = 0
    var waitsAtLineStart = 0
    var waits = 0
    var firstTimeRight: [Character: Int] = [:]
    var rechecksByOperator: [Character: Int] = [:]
    let generator = OrganismDataGenerator(seed: 5, configuration: configuration)
    for example in generator.reasoningExamples(count: 4000) {
      let trace = TraceReader(example.response)
      let expected = try #require(IndependentEvaluator.value(of: example.problem.text))
      #expect(trace.finalValue == expected, "\(example.response)")
      #expect(trace.arithmeticErrorsLeftUncorrected == 0, "\(example.response)")
      steps += trace.steps
      corrections += trace.corrections
      lineStartCorrections += trace.lineStartCorrections
      rechecks += trace.rechecks
      waitsAtLineStart += trace.waitsAtLineStart
      waits += trace.waits
      firstTimeRight.merge(trace.firstTimeRightSteps, uniquingKeysWith: +)
      rechecksByOperator.merge(trace.rechecksByOperator, uniquingKeysWith: +)
      #expect(trace.steps == example.problem.operationCount)
    }
    func rate(_ ops: String) -> Double {
      let candidates = ops.reduce(0) { $0 + firstTimeRight[$1, default: 0] }
      return Double(ops.reduce(0) { $0 + rechecksByOperator[$1, default: 0] })
        / Double(max(1, candidates))
    }
    let correctionRate = Double(corrections) / Double(steps)
    let recheckRate = Double(rechecks) / Double(steps - corrections)
    let lineStartShare = Double(lineStartCorrections) / Double(corrections)
    #expect(steps - corrections == firstTimeRight.values.reduce(0, +))
    #expect(abs(correctionRate - configuration.correctionProbability) < 0.01)
    #expect(abs(lineStartShare - configuration.correctionAtLineStartProbability) < 0.1)
    #expect(waits == corrections + rechecks)
    #expect(Double(waitsAtLineStart) / Double(waits) > 0.9)
    if hardStepRule {
      // Almost always after `*`, rarely after `+`/`-`; about a quarter of steps overall.
      #expect(abs(rate("*") - configuration.hardStepRecheckProbability) < 0.02)
      #expect(abs(rate("+-") - configuration.easyStepRecheckProbability) < 0.01)
      #expect((0.2...0.35).contains(recheckRate))
      let hardShare = Double(firstTimeRight["*", default: 0]) / Double(steps - corrections)
      #expect((0.2...0.35).contains(hardShare))
    } else {
      #expect(abs(recheckRate - configuration.recheckProbability) < 0.02)
      #expect(abs(rate("*") - rate("+-")) < 0.04)
    }
  }

  @Test func evaluationProblemsAreHeldOutAndDisjointFromTraining() {
    let configuration = OrganismDataConfiguration()
    let evaluation = OrganismDataGenerator(seed: 1).evaluationProblems(count: 300)
    #expect(evaluation.count == 300)
    #expect(Set(evaluation.map(\.text)).count == 300)
    #expect(evaluation.allSatisfy { (2...3).contains($0.operationCount) })
    let held = Set(evaluation.map(\.text))
    // Training sets of several seeds (not only the evaluation seed) never hold one.
    for seed: UInt64 in [1, 2, 99] {
      let generator = OrganismDataGenerator(seed: seed)
      let training =
        generator.baseExamples(count: 3000) + generator.reasoningExamples(count: 3000)
      #expect(training.allSatisfy { !held.contains($0.problem.text) })
      #expect(
        training.allSatisfy {
          !OrganismSplit.isHeldOut($0.problem, modulus: configuration.heldOutModulus)
        })
    }
    // The split rule holds out about one in ten multi-step problem texts.
    let texts = OrganismDataGenerator(seed: 4).evaluationProblems(count: 1).map(\.text)
    #expect(texts.allSatisfy { OrganismSplit.bucket(of: $0, modulus: 10) == 0 })
    var buckets = [Int](repeating: 0, count: 10)
    for a in 10..<60 {
      for b in 10..<60 {
        buckets[Int(OrganismSplit.bucket(of: "\(a)+\(b)*3", modulus: 10))] += 1
      }
    }
    #expect(buckets.allSatisfy { abs($0 - 250) < 70 })
  }

  @Test func adapterSequencesHaveNoEOSAndAreTruncated() {
    let (train, validation) = OrganismDataGenerator(seed: 8)
      .adapterSequences(count: 200, maximumLength: 40)
    #expect(train.count == 180 && validation.count == 20)
    for sequence in train + validation {
      #expect(sequence.count <= 40)
      #expect(!sequence.contains(OrganismVocabulary.eos))
      #expect(Array(sequence.prefix(2)) == [OrganismVocabulary.bos, OrganismVocabulary.user])
    }
    #expect((train + validation).contains { $0.count == 40 })
    let untruncated = OrganismDataGenerator(seed: 8)
      .adapterSequences(count: 20, maximumLength: 1000)
    #expect(
      untruncated.train.allSatisfy {
        ($0.last.map { (7...16).contains($0) } ?? false) && $0.contains(OrganismVocabulary.thinkEnd)
      })
  }

  @Test func parenthesesAndPrecedenceFollowTheDocumentedRules() {
    let problem = ArithmeticProblem(
      operands: [3, 4, 5, 2], operators: [.subtract, .add, .multiply], parentheses: 1..<3)
    #expect(problem.text == "3-(4+5)*2")
    #expect(problem.steps.map(\.text) == ["4+5=9", "9*2=18", "3-18=-15"])
    #expect(problem.answer == IndependentEvaluator.value(of: problem.text))
    let plain = ArithmeticProblem(operands: [9, 3, 2, 4], operators: [.subtract, .add, .multiply])
    #expect(plain.steps.map(\.text) == ["2*4=8", "9-3=6", "6+8=14"])
  }
}
