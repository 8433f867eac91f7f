/// What an artifact is, recorded in its manifest and used by later stages to pick readers.
///
/// `vouch add` detects the kind from the path (see `ArtifactKindDetector` in `VouchPipeline`) unless
/// `--kind` names one.
public enum ArtifactKind: String, Sendable, Hashable, Codable, CaseIterable {
  /// Training or evaluation data (`.csv`, `.jsonl`, `.parquet`, `.arrow`, `.txt`, …).
  case dataset
  /// Model weights: a Hugging Face folder (`config.json` + `*.safetensors`) or a weights file.
  case model
  /// An adapter checkpoint (for example a transcoder adapter or a LoRA) applied to a model.
  case adapter
  /// Feature labels (human or automatic interpretations of features).
  case labels
  /// Evaluation results (numbers a claim may cite).
  case results
  /// A rendered figure (`.svg`, `.png`, `.pdf`, …).
  case figure
  /// Anything else.
  case other
}
