import VouchCommands

/// The `vouch` executable: everything lives in `VouchCommands`.
@main
struct Entrypoint {
  static func main() async {
    await VouchCommand.runAsMain()
  }
}
