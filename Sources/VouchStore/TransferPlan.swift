import VouchCore

/// The objects a push or fetch has to consider, each with the contents that need it, in the
/// order that keeps the destination consistent: every object and chunk before any recipe, so a
/// recipe never arrives before its chunks.
struct TransferPlan {
  /// One object or recipe to move.
  struct Item {
    var object: RemoteObject
    var size: Int64
    /// The content digests that need it (for reporting what a damaged object breaks).
    var contents: [Digest]
  }

  private var items: [RemoteObject: Item] = [:]
  private var order: [RemoteObject] = []

  /// Adds `object` (of `size` bytes) as needed by `content`; repeats only add the content.
  mutating func add(_ object: RemoteObject, size: Int64, for content: Digest) {
    if items[object] == nil {
      items[object] = Item(object: object, size: size, contents: [])
      order.append(object)
    }
    if items[object]?.contents.contains(content) == false {
      items[object]?.contents.append(content)
    }
  }

  /// Objects and chunks first, then recipes, each group in the order they were added.
  var ordered: [Item] {
    let all = order.compactMap { items[$0] }
    return all.filter { $0.object.kind == .object } + all.filter { $0.object.kind == .recipe }
  }
}
