import FolkbokModel
import FolkbokProtocol
import FuzzDriver

// The input is a customers file: `CustomersFile.parse` must answer with a validated directory
// or an error that says something, never a trap. Whatever parses is written back with
// `encoded()` (the demo file's writer) and must parse to the same customers.
fuzzMain { data, size in
    let bytes = Array(FuzzInput(fuzz: data, size))
    let directory: CustomerDirectory
    do throws(CustomersFileError) {
        directory = try CustomersFile.parse(bytes)
    } catch {
        precondition(!error.description.isEmpty, "an empty error for a bad customers file")
        return 0
    }
    let text: [UInt8]
    do {
        text = try CustomersFile(customers: directory.customers).encoded()
    } catch {
        fatalError("a parsed customers file does not encode: \(error)")
    }
    do {
        let again = try CustomersFile.parse(text)
        precondition(again.customers == directory.customers, "a customers file written back parses to other customers")
    } catch {
        fatalError("a customers file written back does not parse: \(error)")
    }
    return 0
}
