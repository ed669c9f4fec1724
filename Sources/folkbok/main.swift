import Glibc

let arguments = CommandLine.arguments
let command = arguments.count > 1 ? arguments[1] : "help"
let rest = arguments.dropFirst(2)

switch command {
case "serve": ServeCommand.run(rest)
case "get": ClientCommands.get(rest)
case "call": ClientCommands.call(rest)
case "info": ClientCommands.info(rest)
case "promote": PromoteCommand.run(rest)
case "stats": StatsCommand.run(rest)
case "import": ImportCommand.run(rest)
case "generate": GenerateCommand.run(rest)
case "snapshot": SnapshotCommands.snapshot(rest)
case "restore": SnapshotCommands.restore(rest)
case "help", "--help", "-h": FileOut.stdout.write(Usage.overview + "\n")
default: Usage.fail("unknown command \"\(command)\"", usage: Usage.overview)
}
