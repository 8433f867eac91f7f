import VouchCore

/// What a push found on the remote for each item of its plan: missing (to send), damaged (to
/// heal), or present, and which present items to re-read.
struct PushWork {
  /// The plan's items in push order (objects and chunks, then recipes).
  let items: [TransferPlan.Item]
  /// Items the remote does not hold.
  var missing = Set<RemoteObject>()
  /// Items the remote holds damaged, with what is wrong (one clause, no remedy).
  var damaged: [RemoteObject: String] = [:]
  /// Present items to re-read and re-hash.
  var toVerify = Set<RemoteObject>()

  /// Work on `items`, not yet surveyed.
  init(items: [TransferPlan.Item]) { self.items = items }

  /// Asks the remote for each item's size: absent ones are missing, objects whose size differs
  /// from this store's are damaged, and `verification` picks which of the rest to re-read.
  /// (A recipe's size is not compared: a clone with other chunk sizes writes another recipe of
  /// the same file.)
  mutating func survey(_ remote: any Remote, verification: RemoteVerification) throws {
    var present: [(object: RemoteObject, size: Int64)] = []
    for item in items {
      guard let size = try remote.size(of: item.object) else {
        missing.insert(item.object)
        continue
      }
      if item.object.kind == .object, size != item.size {
        damaged[item.object] = "it was \(size) bytes instead of \(item.size)"
        continue
      }
      present.append((item.object, size))
    }
    toVerify = verification.select(present)
  }

  /// Bytes to re-read, send or heal, as known after the survey.
  var bytesToMove: Int64 {
    items.reduce(0) { total, item in
      let object = item.object
      let moves =
        missing.contains(object) || damaged[object] != nil || toVerify.contains(object)
      return total + (moves ? item.size : 0)
    }
  }

  /// Whether the remote holds `object` and it was not found damaged.
  func isPresentAndIntact(_ object: RemoteObject) -> Bool {
    !missing.contains(object) && damaged[object] == nil
  }
}
