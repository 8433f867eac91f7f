// The regions of METHOD.md §6.1: where in a DeepSeek-format sequence a token sits, so a
// feature's activations can be counted per region (question, reasoning trace by decile, answer).

/// The part of a `<bos><user>Q<assistant><think>…</think>answer` sequence a position belongs to.
///
/// Positions are assigned from the first `<assistant>` (`a`), the first `<think>` after it (`s`)
/// and the first `</think>` after that (`e`):
/// - `p < a`: ``bos`` for the `<bos>` token, ``userMarker`` for `<user>`, else ``question``;
/// - `p == a`: ``assistantMarker``; `a < p < s`: ``answer`` (response text outside the trace;
///   the organism's responses open `<think>` right after `<assistant>`, so this is empty there);
/// - `p == s`: ``thinkStart``; `s < p < e`: ``thinking(decile:)`` with decile `⌊10·k / n⌋` for
///   the `k`-th (0-based) of the `n = e − s − 1` trace tokens, i.e. relative position `k / n` in
///   `[0, 1)` binned into ten equal bins, computed in integers;
/// - `p == e`: ``thinkEnd``; `p > e`: ``answer``.
public enum FeatureRegion: Hashable, Sendable, CustomStringConvertible {
  /// The `<bos>` token.
  case bos
  /// The `<user>` marker.
  case userMarker
  /// The question, before `<assistant>`.
  case question
  /// The `<assistant>` marker.
  case assistantMarker
  /// The `<think>` token.
  case thinkStart
  /// Strictly inside the trace, in decile `0 ..< 10` of its relative position.
  case thinking(decile: Int)
  /// The `</think>` token.
  case thinkEnd
  /// After `</think>` (and response tokens before `<think>`, if any).
  case answer

  /// The number of thinking bins.
  public static let thinkingBins = 10

  /// Every region in report order (`[17]`): the index of a region here is ``index``.
  public static let all: [FeatureRegion] =
    [.bos, .userMarker, .question, .assistantMarker, .thinkStart]
    + (0..<thinkingBins).map { FeatureRegion.thinking(decile: $0) } + [.thinkEnd, .answer]

  /// The position of the region in ``all``.
  public var index: Int {
    switch self {
    case .bos: 0
    case .userMarker: 1
    case .question: 2
    case .assistantMarker: 3
    case .thinkStart: 4
    case .thinking(let decile): 5 + decile
    case .thinkEnd: 5 + Self.thinkingBins
    case .answer: 6 + Self.thinkingBins
    }
  }

  /// The region's name in labels files: `bos`, `user_marker`, `question`, `assistant_marker`,
  /// `think_start`, `thinking_0` … `thinking_9`, `think_end`, `answer`.
  public var name: String {
    switch self {
    case .bos: "bos"
    case .userMarker: "user_marker"
    case .question: "question"
    case .assistantMarker: "assistant_marker"
    case .thinkStart: "think_start"
    case .thinking(let decile): "thinking_\(decile)"
    case .thinkEnd: "think_end"
    case .answer: "answer"
    }
  }

  public var description: String { name }

  /// Whether the region lies strictly inside the reasoning trace.
  public var isThinking: Bool {
    if case .thinking = self { return true }
    return false
  }

  /// The region of every position of `ids`, or `nil` when the sequence lacks `<assistant>`, a
  /// `<think>` after it or a `</think>` after that (METHOD §6.1 skips such sequences).
  /// - Parameters:
  ///   - ids: the token ids, `[tokens]`.
  ///   - markers: the ids of the special tokens that delimit the regions.
  /// - Returns: `[tokens]` regions.
  public static func layout(of ids: [Int], markers: Markers = .organism) -> [FeatureRegion]? {
    guard let a = ids.firstIndex(of: markers.assistant),
      let s = ids[(a + 1)...].firstIndex(of: markers.thinkStart),
      let e = ids[(s + 1)...].firstIndex(of: markers.thinkEnd)
    else { return nil }
    let traceLength = e - s - 1
    return ids.enumerated().map { position, id in
      if position < a {
        if id == markers.bos { return .bos }
        return id == markers.user ? .userMarker : .question
      }
      if position == a { return .assistantMarker }
      if position < s { return .answer }
      if position == s { return .thinkStart }
      if position < e {
        return .thinking(decile: thinkingBins * (position - s - 1) / traceLength)
      }
      return position == e ? .thinkEnd : .answer
    }
  }

  /// The ids of the tokens that delimit regions.
  public struct Markers: Hashable, Sendable {
    /// `<bos>`.
    public var bos: Int
    /// `<user>`.
    public var user: Int
    /// `<assistant>`.
    public var assistant: Int
    /// `<think>`.
    public var thinkStart: Int
    /// `</think>`.
    public var thinkEnd: Int

    /// The markers with the given ids.
    public init(bos: Int, user: Int, assistant: Int, thinkStart: Int, thinkEnd: Int) {
      self.bos = bos
      self.user = user
      self.assistant = assistant
      self.thinkStart = thinkStart
      self.thinkEnd = thinkEnd
    }

    /// The organism's special ids (``OrganismVocabulary``).
    public static let organism = Markers(
      bos: OrganismVocabulary.bos, user: OrganismVocabulary.user,
      assistant: OrganismVocabulary.assistant, thinkStart: OrganismVocabulary.thinkStart,
      thinkEnd: OrganismVocabulary.thinkEnd)
  }
}
