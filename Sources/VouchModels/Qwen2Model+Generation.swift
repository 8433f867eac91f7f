import VouchEngine

extension Qwen2Model {
  /// Continues `prompt` token by token with a KV cache.
  /// - Parameters:
  ///   - prompt: token ids (at least one).
  ///   - parameters: token budget, temperature, seed and stop tokens.
  ///   - context: profile and threads.
  /// - Returns: the new tokens only (ending with a stop token if one was produced).
  /// - Throws: `ModelError` for an empty prompt, an id outside the vocabulary, or unreadable weights.
  public func generate(
    prompt: [Int], parameters: GenerationParameters, context: ComputeContext
  ) throws -> [Int] {
    guard !prompt.isEmpty else {
      throw ModelError(.missing, "the prompt is empty; generation needs at least one token")
    }
    var cache = Qwen2KVCache(configuration: configuration)
    var sampler = TokenSampler(parameters: parameters)
    var generated: [Int] = []
    var input = prompt
    while generated.count < parameters.maxNewTokens {
      let logits = try forward(input, cache: &cache, context: context).logits
      let vocabulary = configuration.vocabularySize
      let last = logits.rows((logits.shape[0] - 1)..<logits.shape[0]).scalars
      precondition(last.count == vocabulary)
      let token = sampler.next(logits: last)
      generated.append(token)
      if parameters.stopTokens.contains(token) { break }
      input = [token]
    }
    return generated
  }
}
