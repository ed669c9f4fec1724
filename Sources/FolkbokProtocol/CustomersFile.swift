import FolkbokModel
import Foundation

/// The customers file's shape, `{"customers": [...]}` (docs/PROTOCOL.md, "Sessions and
/// customers"), and the one way from its bytes to the `CustomerDirectory` a server runs with.
///
/// Guarantees: `parse` answers any bytes with a validated directory or a `CustomersFileError`
/// that says what is wrong and where; it never traps (`fuzz-customers` holds it to that).
/// What `encoded()` writes parses back to the same customers.
public struct CustomersFile: Codable, Sendable {
    public var customers: [Customer]

    public init(customers: [Customer]) {
        self.customers = customers
    }

    /// Decodes the JSON in `bytes` and validates it into a directory.
    /// - Complexity: O(file size).
    public static func parse(_ bytes: [UInt8]) throws(CustomersFileError) -> CustomerDirectory {
        do {
            let file = try JSONDecoder().decode(CustomersFile.self, from: Data(bytes))
            return try CustomerDirectory(file.customers)
        } catch let error as CustomerDirectory.ConfigError {
            throw CustomersFileError(description: error.description)
        } catch let DecodingError.dataCorrupted(context), let DecodingError.keyNotFound(_, context),
            let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context)
        {
            let at = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
            throw CustomersFileError(description: "\(context.debugDescription)\(at.isEmpty ? "" : " at \(at)")")
        } catch {
            // JSONDecoder throws only the four cases above; kept so a new one still reads well.
            throw CustomersFileError(description: "not valid: \(error)")
        }
    }

    /// The file's text: pretty printed with sorted keys, as the demo's file is written.
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }
}

/// Why a customers file cannot be used: what is wrong and, for JSON problems, where (the
/// path of keys and indexes), e.g. `customer "p": a private provider cannot have an extended
/// contract`. Names no more of the file than the faulty key or id.
public struct CustomersFileError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
