import FolkbokXML

/// A whole Navet file read into memory: for tests and small files (an import streams with
/// `NavetFileReader` instead).
public struct NavetFile: Sendable, Hashable {
    public var header: NavetFileHeader
    public var posts: [NavetPost]

    /// Reads and checks the whole file (`NavetFileReader`'s guarantees).
    public static func read(bytes: [UInt8]) throws(NavetFileError) -> NavetFile {
        var reader = NavetFileReader(xml: XMLReader(source: XMLMemorySource(bytes)))
        return try read(&reader)
    }

    public static func read(path: String) throws(NavetFileError) -> NavetFile {
        var reader = try NavetFileReader(path: path)
        return try read(&reader)
    }

    private static func read(_ reader: inout NavetFileReader) throws(NavetFileError) -> NavetFile {
        var posts: [NavetPost] = []
        while let post = try reader.nextPost() { posts.append(post) }
        return NavetFile(header: reader.header, posts: posts)
    }
}
