import FolkbokJSON
import FuzzDriver

// Parses the input as one JSON text; whatever parses must survive `JSONWriter().value` and
// parse back to an equal value (the writer's documented guarantee). A mismatch traps.
fuzzMain { data, size in
    let bytes = FuzzInput(fuzz: data, size)
    guard let value = try? JSONParser.parse(bytes) else { return 0 }
    var writer = JSONWriter()
    writer.value(value)
    guard let again = try? JSONParser.parse(writer.bytes) else {
        fatalError("JSONWriter output does not parse back")
    }
    if again != value { fatalError("JSONWriter output parses back to a different value") }
    return 0
}
