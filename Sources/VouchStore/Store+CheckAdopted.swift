import Foundation
import VouchCore

extension Store {
  /// Checks an adopted file (`add --link`): its whole object is read once, chunk by chunk in
  /// recipe order, each chunk re-hashed against the recipe and everything against the name.
  ///
  /// This verifies the whole object and every chunk other recipes may borrow from it in one
  /// pass; a flipped byte shows up both as a corrupt chunk and as a corrupt object.
  func checkAdopted(
    _ recipe: Recipe, buffer: UnsafeMutableRawPointer, report: inout CheckReport
  ) {
    let digest = recipe.digest
    let path = objectPath(digest)
    report.objectsChecked += 1
    func problem(
      _ item: CheckReport.Problem.Item, _ name: Digest, _ issue: CheckReport.Problem.Issue,
      _ detail: String
    ) {
      report.problems.append(
        .init(item: item, digest: name, issue: issue, detail: detail, affects: [digest]))
    }
    let fd: Int32
    do { fd = try Sys.open(path, O_RDONLY) } catch {
      problem(
        .object, digest, .missing,
        "adopted object \(digest.short) cannot be opened; run `vouch check --repair-index`")
      return
    }
    defer { Sys.close(fd) }
    var whole = StreamingHash()
    var offset: Int64 = 0
    for chunk in recipe.chunks {
      let count = Int(chunk.size)
      let got = (try? Sys.preadFully(fd, buffer, count: count, offset: offset, path: path)) ?? 0
      guard got == count else {
        problem(
          .object, digest, .truncated,
          "adopted object \(digest.short) has \(offset + Int64(got)) of \(recipe.size) bytes;"
            + " re-add the file it came from")
        return
      }
      let bytes = UnsafeRawBufferPointer(start: buffer, count: count)
      whole.update(bytes)
      let actual = StreamingHash.digest(of: bytes)
      if actual != chunk.digest {
        problem(
          .chunk, chunk.digest, .corrupt,
          "chunk \(chunk.digest.short) inside adopted object \(digest.short) is corrupt (its"
            + " bytes hash to \(actual.short)); re-add or fetch the file")
      }
      offset += chunk.size
      report.bytesChecked += chunk.size
    }
    let size = (try? Sys.fileStatus(fd, path: path).size) ?? recipe.size
    if size != recipe.size {
      problem(
        .object, digest, .corrupt,
        "adopted object \(digest.short) has \(size) bytes, its recipe says \(recipe.size);"
          + " re-add the file it came from")
    }
    let actual = whole.finalize()
    if actual != digest {
      quarantine(path, digest: digest)
      problem(
        .object, digest, .corrupt, Store.quarantined("object", digest, actual: actual).message)
    }
  }
}
