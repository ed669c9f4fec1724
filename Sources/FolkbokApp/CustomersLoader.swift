import FolkbokDemo
import FolkbokModel
import FolkbokProtocol
import FolkbokStorage
import Foundation
import Glibc

/// Reads the customers file, first writing the demo customers (mode 0600) when asked and missing.
enum CustomersLoader {
    static func load(path: String, createDemo: Bool, logger: Logger) throws(AppStartError) -> CustomerDirectory {
        if createDemo && !FileManager.default.fileExists(atPath: path) {
            let file = CustomersFile(customers: DemoCustomers.make(uid: getuid()))
            guard let bytes = try? file.encoded(),
                FileManager.default.createFile(
                    atPath: path, contents: Data(bytes), attributes: [.posixPermissions: Int(FileModes.file)])
            else {
                throw AppStartError("cannot write the demo customers file \(path)")
            }
            logger.info("customers.demo", "wrote the demo customers to \(path)", ["path": .string(path)])
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AppStartError("cannot read the customers file \(path)")
        }
        do throws(CustomersFileError) {
            return try CustomersFile.parse(Array(data))
        } catch {
            throw AppStartError("customers file \(path): \(error.description)")
        }
    }
}
