import FolkbokXML

/// Reads one Navet notification file (Navetavisering V1, `../shared/specs/NAVET.md`) post by
/// post, streaming: only the current post is held.
///
/// Guarantees:
/// - `nextPost()` answers the file's `Folkbokforingspost`s in order, each as a `NavetPost` (text
///   only: no rule applied), then nil once the whole document has been read and found
///   well-formed and its count of posts equal to `Utfil/AntalPoster` (when the file gives one).
/// - Anything else is a `NavetFileError` `malformed_file` with the first bad line: XML that is
///   not well-formed or cut short (`FolkbokXML`'s rules: no DOCTYPE, no entities), a root other
///   than `Navetavisering`, a count in the header that is not a whole number, a count of posts
///   that differs from `AntalPoster`. A caller that must be all-or-nothing reads to nil before
///   applying anything.
/// - `header` is complete once the first post (or nil) has been answered, or after `readHeader()`.
public struct NavetFileReader: ~Copyable {
    var xml: XMLReader
    public private(set) var header = NavetFileHeader()
    /// `Folkbokforingspost`s read so far.
    public private(set) var postCount = 0
    var phase = Phase.start
    /// Line of the `AntalPoster` element, for a count that turns out wrong.
    var postCountLine = 0

    enum Phase { case start, inRoot, inPosts, done }

    public init(xml: consuming XMLReader) {
        self.xml = xml
    }

    /// A reader of the file at `path`; a file that cannot be opened is `unreadable_file`.
    public init(path: String) throws(NavetFileError) {
        do { xml = try XMLReader(path: path) } catch { throw NavetFileError(error) }
    }

    /// Reads up to the first post (or the end), so `header` is known.
    public mutating func readHeader() throws(NavetFileError) -> NavetFileHeader {
        if phase == .start || phase == .inRoot { try advanceToPosts() }
        return header
    }

    /// The next post, or nil after the last (the file then checked whole).
    public mutating func nextPost() throws(NavetFileError) -> NavetPost? {
        guard try advanceToPost() else { return nil }
        return try readPost(index: postCount)
    }

    /// As `nextPost`, without making a `NavetPost` of it: true for each post passed over (its
    /// XML checked as any other), false after the last (the file then checked whole). A pass
    /// that only checks a file runs at the XML reader's speed.
    public mutating func skipPost() throws(NavetFileError) -> Bool {
        guard try advanceToPost() else { return false }
        try skip()
        return true
    }

    /// Moves to the next post's start element (counted), or to the end: false.
    private mutating func advanceToPost() throws(NavetFileError) -> Bool {
        while true {
            switch phase {
            case .start, .inRoot:
                try advanceToPosts()
            case .inPosts:
                guard try child() else {
                    phase = .inRoot
                    continue
                }
                if named("Folkbokforingspost") {
                    postCount += 1
                    return true
                }
                try skip()
            case .done:
                return false
            }
        }
    }

    /// Reads root children until `Folkbokforingsposter` opens (phase `inPosts`) or the document
    /// ends (phase `done`, after the final checks).
    private mutating func advanceToPosts() throws(NavetFileError) {
        if phase == .start {
            guard try step() == .startElement, named("Navetavisering") else {
                throw malformed("the root element is not Navetavisering")
            }
            phase = .inRoot
        }
        while try child() {
            if named("Aviseringsinformation") {
                try readInformation()
            } else if named("Folkbokforingsposter") {
                phase = .inPosts
                return
            } else {
                try skip()
            }
        }
        guard try step() == .endOfDocument else { throw malformed("content after the root element") }
        phase = .done
        if let expected = header.postCount, expected != postCount {
            throw NavetFileError(.malformedFile, line: postCountLine, "the number of posts differs from AntalPoster")
        }
    }

    private mutating func readInformation() throws(NavetFileError) {
        while try child() {
            guard named("Filinformation") else {
                try skip()
                continue
            }
            while try child() {
                if named("BestallningsId") {
                    header.orderId = try leaf()
                } else if named("Produkt") {
                    header.product = try leaf()
                } else if named("Utfil") {
                    try readOutputFile()
                } else {
                    try skip()
                }
            }
        }
    }

    private mutating func readOutputFile() throws(NavetFileError) {
        while try child() {
            if named("Filnamn") {
                header.fileName = try leaf()
            } else if named("Effektueringsdatum") {
                header.effectiveDate = try leaf()
            } else if named("AntalPoster") {
                postCountLine = xml.currentLine()
                header.postCount = try count()
            } else if named("AntalPosterTotalt") {
                header.totalPostCount = try count()
            } else if named("AntalFiler") {
                header.fileCount = try count()
            } else if named("FilNr") {
                header.fileNumber = try count()
            } else {
                try skip()
            }
        }
    }

    /// A leaf holding a whole number ≥ 0 (at most nine digits).
    private mutating func count() throws(NavetFileError) -> Int {
        let line = xml.currentLine()
        guard let text = try leaf(), text.utf8.count <= 9, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            let value = Int(text)
        else {
            throw NavetFileError(.malformedFile, line: line, "a count in Filinformation that is not a whole number")
        }
        return value
    }

    mutating func malformed(_ message: String) -> NavetFileError {
        NavetFileError(.malformedFile, line: xml.currentLine(), message)
    }
}

/// Walking the element tree.
extension NavetFileReader {
    mutating func step() throws(NavetFileError) -> XMLEventKind {
        do { return try xml.next() } catch { throw NavetFileError(error) }
    }

    /// Moves to the next child element of the current element: true at its start, false at the
    /// current element's end (text between is ignored).
    mutating func child() throws(NavetFileError) -> Bool {
        while true {
            switch try step() {
            case .startElement: return true
            case .endElement: return false
            case .text: continue
            case .endOfDocument: throw malformed("the document ended inside an element")
            }
        }
    }

    /// True if the current start element is named `name`.
    func named(_ name: StaticString) -> Bool { xml.name.equals(name) }

    /// Skips the element just started, with everything in it.
    mutating func skip() throws(NavetFileError) {
        var depth = 1
        while depth > 0 {
            switch try step() {
            case .startElement: depth += 1
            case .endElement: depth -= 1
            case .text: continue
            case .endOfDocument: throw malformed("the document ended inside an element")
            }
        }
    }

    /// The text of the element just started (child elements skipped), trimmed; nil when empty.
    mutating func leaf() throws(NavetFileError) -> String? {
        // The common case: one text event, then the end tag; trimmed before a String is made.
        var event = try step()
        if event == .endElement { return nil }
        if event == .text {
            // The view is valid only until the next step: copy it (without leading space) first.
            var bytes = xml.text.bytes
            while let first = bytes.first, NavetFileReader.isSpace(first) {
                bytes = UnsafeRawBufferPointer(rebasing: bytes.dropFirst())
            }
            let trailingSpace = bytes.last.map(NavetFileReader.isSpace) ?? false
            let text = String(decoding: bytes, as: UTF8.self)
            event = try step()
            if event == .endElement {
                if trailingSpace { return NavetFileReader.trimmed(text) }
                return text.isEmpty ? nil : text
            }
            return try leafSlowly(first: text, pending: event)
        }
        return try leafSlowly(first: nil, pending: event)
    }

    /// `leaf()` past child elements: text is collected at the leaf's own level only.
    private mutating func leafSlowly(first: String?, pending: XMLEventKind) throws(NavetFileError) -> String? {
        var value = first
        var event = pending
        while true {
            switch event {
            case .text:
                let text = xml.text.string
                if value == nil { value = text } else { value! += text }
            case .startElement:
                try skip()
            case .endElement:
                return NavetFileReader.trimmed(value)
            case .endOfDocument:
                throw malformed("the document ended inside an element")
            }
            event = try step()
        }
    }

    @inline(__always)
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D }

    static func trimmed(_ value: String?) -> String? {
        guard let value, let first = value.utf8.first, let last = value.utf8.last else { return nil }
        func space(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D }
        if !space(first) && !space(last) { return value }
        let bytes = Array(value.utf8)
        guard let from = bytes.firstIndex(where: { !space($0) }), let to = bytes.lastIndex(where: { !space($0) }) else {
            return nil
        }
        return String(decoding: bytes[from...to], as: UTF8.self)
    }
}
