import FolkbokXML
import XCTest

/// Reads `bytes` whole, or in pieces of the given sizes, with a reader of `chunkSize`.
func readEvents(
    _ bytes: [UInt8], pieces: [Int] = [], chunkSize: Int = 256 << 10,
    limits: XMLLimits = XMLLimits()
) -> Result<[XMLEvent], XMLError> {
    var reader = XMLReader(source: XMLMemorySource(bytes, pieceSizes: pieces), chunkSize: chunkSize, limits: limits)
    do { return .success(try reader.allEvents()) } catch { return .failure(error) }
}

func readEvents(_ text: String, pieces: [Int] = [], chunkSize: Int = 256 << 10) -> Result<[XMLEvent], XMLError> {
    readEvents(Array(text.utf8), pieces: pieces, chunkSize: chunkSize)
}

func events(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [XMLEvent] {
    switch readEvents(text) {
    case .success(let events): return events
    case .failure(let error):
        XCTFail("unexpected error \(error)", file: file, line: line)
        return []
    }
}

func error(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) -> XMLError? {
    switch readEvents(bytes) {
    case .success:
        XCTFail("the document was accepted", file: file, line: line)
        return nil
    case .failure(let error): return error
    }
}

func error(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> XMLError? {
    error(Array(text.utf8), file: file, line: line)
}
