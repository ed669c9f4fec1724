/// The checks of a multi-file delivery (docs/PROTOCOL.md: `paths` imports the files of one
/// delivery together).
///
/// Guarantees: `order(_:)` answers the files' indices in `FilNr` order exactly when they share
/// one `BestallningsId` and one `AntalFiler`, `AntalFiler` equals the number of files, and each
/// `FilNr` 1…`AntalFiler` occurs once; else `incomplete_delivery`. A single file without
/// `Filinformation` is a delivery of its own; a single file that says it is one of several is
/// incomplete.
public enum NavetDelivery {
    public static func order(_ headers: [NavetFileHeader]) throws(NavetFileError) -> [Int] {
        guard !headers.isEmpty else { throw incomplete("a delivery needs at least one file") }
        if headers.count == 1 {
            let h = headers[0]
            if let count = h.fileCount, count != 1 { throw incomplete("AntalFiler names files that were not given") }
            if let number = h.fileNumber, number != 1 { throw incomplete("FilNr is not 1 in a delivery of one file") }
            return [0]
        }
        guard let orderId = headers[0].orderId, let count = headers[0].fileCount else {
            throw incomplete("a file of a delivery of several lacks BestallningsId or AntalFiler")
        }
        guard headers.allSatisfy({ $0.orderId == orderId }) else {
            throw incomplete("the files differ in BestallningsId")
        }
        guard headers.allSatisfy({ $0.fileCount == count }) else { throw incomplete("the files differ in AntalFiler") }
        guard count == headers.count else { throw incomplete("AntalFiler differs from the number of files given") }
        var slots = [Int?](repeating: nil, count: count)
        for (i, h) in headers.enumerated() {
            guard let number = h.fileNumber, (1...count).contains(number) else {
                throw incomplete("a FilNr outside 1 to AntalFiler")
            }
            guard slots[number - 1] == nil else { throw incomplete("a FilNr given twice") }
            slots[number - 1] = i
        }
        return slots.map { $0! }
    }

    private static func incomplete(_ message: String) -> NavetFileError {
        NavetFileError(.incompleteDelivery, line: nil, message)
    }
}
