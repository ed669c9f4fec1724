import FolkbokJSON
import Foundation

/// `folkbok promote`: asks the replica on `--socket` (or `FOLKBOK_SOCKET`) to stop following
/// its primary and take writes (`admin.promote`), as the operator.
enum PromoteCommand {
    static func run(_ words: ArraySlice<String>) {
        let args = ClientCommands.parse(words, extra: [], usage: Usage.promote)
        guard args.positional.isEmpty else { Usage.fail("promote takes no arguments", usage: Usage.promote) }
        let client = ClientSession(args, defaultCustomer: "operator").connect(asOperator: true)
        let response = ClientSession.call(client, "admin.promote", "{}")
        if let error = response["error"] { die(ClientSession.describe(error)) }
        guard let result = response["result"]?.objectValue,
            let epoch = result["epoch"]?.int64Value, let lsn = result["lsn"]?.int64Value
        else { die("the server's answer has no result") }
        FileOut.stdout.write("promoted: now the primary in epoch \(epoch); writes continue after LSN \(lsn)\n")
    }
}

extension Usage {
    static let promote = """
        Usage: folkbok promote [--customer ID] [--socket PATH]

        Promotes the replica the socket leads to: it stops following its primary and takes writes
        in a new epoch (admin.promote; needs an operator customer, default "operator").
        """
}
