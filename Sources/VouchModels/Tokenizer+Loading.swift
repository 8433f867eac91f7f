import Foundation

extension Tokenizer {
  /// Reads `tokenizer.json` at `url`.
  /// - Throws: `ModelError` naming the file: `.missing` when absent, `.malformed` for broken JSON
  ///   or vocabulary, `.unsupported` for a normaliser, pre-tokenizer, model or decoder vouch does
  ///   not implement (vouch implements Qwen2's).
  public init(contentsOf url: URL) throws {
    let bytes = try SafetensorsFolder.readBytes(url)
    try self.init(json: bytes, source: url.path)
  }

  /// Reads a `tokenizer.json` document from its bytes; `source` names it in messages.
  public init(json bytes: [UInt8], source: String) throws {
    let root = try JSONReader.parse(bytes, file: source)
    func unsupported(_ detail: String) -> ModelError {
      ModelError(.unsupported, "\(source): \(detail); vouch reads Qwen2-style byte-level BPE")
    }
    guard root.objectValue != nil else {
      throw ModelError.malformed(source, "is not a JSON object")
    }
    normalizesNFC = try Tokenizer.readNormalizer(root["normalizer"], unsupported)
    try Tokenizer.checkPreTokenizer(root["pre_tokenizer"], unsupported)
    if let decoder = root["decoder"], !decoder.isNull, decoder["type"]?.stringValue != "ByteLevel" {
      throw unsupported("decoder '\(decoder["type"]?.stringValue ?? "?")' is not ByteLevel")
    }
    guard let modelNode = root["model"], modelNode.objectValue != nil else {
      throw ModelError.malformed(source, "has no 'model' object")
    }
    let type = modelNode["type"]?.stringValue ?? "BPE"
    guard type == "BPE" else { throw unsupported("model type '\(type)' is not BPE") }
    if let dropout = modelNode["dropout"], !dropout.isNull {
      throw unsupported("BPE dropout is set (not deterministic)")
    }
    for key in ["continuing_subword_prefix", "end_of_word_suffix"] {
      if let value = modelNode[key]?.stringValue, !value.isEmpty {
        throw unsupported("BPE '\(key)' is '\(value)'")
      }
    }
    if modelNode["byte_fallback"]?.boolValue == true {
      throw unsupported("BPE byte_fallback is on")
    }

    let vocabulary = try Tokenizer.readVocabulary(modelNode["vocab"], source: source)
    let merges = try Tokenizer.readMerges(modelNode["merges"], source: source)
    model = try BytePairEncoder(
      vocabulary: vocabulary, merges: merges,
      ignoreMerges: modelNode["ignore_merges"]?.boolValue ?? false, file: source)

    var added: [Int: AddedToken] = [:]
    for node in root["added_tokens"]?.arrayValue ?? [] {
      guard let id = node["id"]?.intValue, id >= 0, id < Int(Int32.max),
        let content = node["content"]?.stringValue, !content.isEmpty
      else {
        throw ModelError.malformed(source, "an added token lacks a non-negative 'id' or 'content'")
      }
      added[id] = AddedToken(
        id: id, content: content, special: node["special"]?.boolValue ?? false,
        singleWord: node["single_word"]?.boolValue ?? false,
        leftStrip: node["lstrip"]?.boolValue ?? false,
        rightStrip: node["rstrip"]?.boolValue ?? false,
        normalized: node["normalized"]?.boolValue ?? false)
    }
    addedTokens = added
    matcher = AddedTokenMatcher(added.keys.sorted().compactMap { added[$0] })

    let size = max(
      (vocabulary.values.max().map(Int.init) ?? -1) + 1, (added.keys.max() ?? -1) + 1)
    // Ids size the id → token tables: refuse sparse ids rather than allocate for a hostile file.
    guard size <= 2 * (vocabulary.count + added.count) + 1024 else {
      throw ModelError.malformed(
        source,
        "token ids are sparse (largest id \(size - 1) for \(vocabulary.count + added.count) "
          + "tokens); the vocabulary is corrupt")
    }
    var strings = [String?](repeating: nil, count: size)
    var decoded = [[UInt8]?](repeating: nil, count: size)
    for (token, id) in vocabulary {
      strings[Int(id)] = token
      decoded[Int(id)] = ByteLevelAlphabet.decode(token)
    }
    for (id, token) in added {
      strings[id] = token.content
      decoded[id] = ByteLevelAlphabet.decode(token.content)
    }
    tokenStrings = strings
    tokenBytes = decoded
    self.source = source
  }

  private static func readNormalizer(
    _ node: JSONNode?, _ unsupported: (String) -> ModelError
  ) throws -> Bool {
    guard let node, !node.isNull else { return false }
    switch node["type"]?.stringValue {
    case "NFC": return true
    case "Sequence":
      let parts = node["normalizers"]?.arrayValue ?? []
      guard parts.allSatisfy({ $0["type"]?.stringValue == "NFC" }) else {
        throw unsupported("normalizer sequence has steps other than NFC")
      }
      return !parts.isEmpty
    case let other: throw unsupported("normalizer '\(other ?? "?")' is not NFC")
    }
  }

  /// Accepts exactly Qwen2's pre-tokenizer: Split(pattern, Isolated) then ByteLevel without
  /// prefix space or regex.
  private static func checkPreTokenizer(
    _ node: JSONNode?, _ unsupported: (String) -> ModelError
  ) throws {
    guard let node, node["type"]?.stringValue == "Sequence",
      let steps = node["pretokenizers"]?.arrayValue, steps.count == 2
    else { throw unsupported("pre_tokenizer is not a Split + ByteLevel sequence") }
    let split = steps[0]
    guard split["type"]?.stringValue == "Split",
      split["pattern"]?["Regex"]?.stringValue == TokenizerSplitter.qwen2Pattern
    else { throw unsupported("pre_tokenizer Split pattern is not Qwen2's") }
    guard split["behavior"]?.stringValue == "Isolated", split["invert"]?.boolValue != true else {
      throw unsupported("pre_tokenizer Split behavior is not Isolated")
    }
    let byteLevel = steps[1]
    guard byteLevel["type"]?.stringValue == "ByteLevel",
      byteLevel["add_prefix_space"]?.boolValue != true, byteLevel["use_regex"]?.boolValue != true
    else { throw unsupported("pre_tokenizer ByteLevel adds a prefix space or its own regex") }
  }

  private static func readVocabulary(_ node: JSONNode?, source: String) throws -> [String: Int32] {
    guard let members = node?.objectValue else {
      throw ModelError.malformed(source, "model has no 'vocab' object")
    }
    var vocabulary: [String: Int32] = [:]
    vocabulary.reserveCapacity(members.count)
    for member in members {
      guard let id = member.value.intValue, id >= 0, id < Int(Int32.max) else {
        throw ModelError.malformed(source, "vocab entry '\(member.key)' has no valid id")
      }
      guard vocabulary.updateValue(Int32(id), forKey: member.key) == nil else {
        throw ModelError.malformed(source, "vocab entry '\(member.key)' is listed twice")
      }
    }
    return vocabulary
  }

  /// Merges as `"a b"` strings (older files) or `["a", "b"]` pairs (tokenizers ≥ 0.20).
  private static func readMerges(_ node: JSONNode?, source: String) throws -> [(String, String)] {
    guard let items = node?.arrayValue else {
      throw ModelError.malformed(source, "model has no 'merges' array")
    }
    var merges: [(String, String)] = []
    merges.reserveCapacity(items.count)
    for (rank, item) in items.enumerated() {
      if let pair = item.arrayValue, pair.count == 2, let left = pair[0].stringValue,
        let right = pair[1].stringValue
      {
        merges.append((left, right))
      } else if let text = item.stringValue, let space = text.firstIndex(of: " ") {
        merges.append((String(text[..<space]), String(text[text.index(after: space)...])))
      } else {
        throw ModelError.malformed(source, "merge \(rank) is neither \"a b\" nor [\"a\", \"b\"]")
      }
    }
    return merges
  }
}
