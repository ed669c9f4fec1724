/// The limits that keep a hostile document from taking unbounded memory.
public struct XMLLimits: Sendable {
    /// The longest single tag, text run (with its comments and CDATA) or comment, in bytes.
    public var maxTokenBytes: Int
    /// The deepest element nesting.
    public var maxDepth: Int
    /// The most attributes in one tag.
    public var maxAttributes: Int

    public init(maxTokenBytes: Int = 16 << 20, maxDepth: Int = 256, maxAttributes: Int = 256) {
        self.maxTokenBytes = maxTokenBytes
        self.maxDepth = maxDepth
        self.maxAttributes = maxAttributes
    }
}

/// What `XMLReader.next()` found.
public enum XMLEventKind: Sendable, Equatable {
    /// A start tag: `name` and the attributes are set. An empty-element tag `<a/>` gives a start
    /// and then an end.
    case startElement
    /// An end tag: `name` is set.
    case endElement
    /// Character data between two tags: `text` is set, never empty. Adjacent text, references and
    /// CDATA sections are one event; comments and processing instructions inside it are dropped.
    case text
    /// The document ended well-formed; every later call answers this again.
    case endOfDocument
}

/// A pull-based, streaming XML 1.0 reader of our own (no Foundation `XMLParser`).
///
/// Guarantees:
/// - Memory: reads its source in chunks (`chunkSize`, 256 KiB by default) into one reused buffer
///   that holds only the current token and what follows it in the chunk; it never holds the whole
///   document. A token longer than `XMLLimits.maxTokenBytes` is an error, not a bigger buffer.
/// - Encoding: UTF-8 (with or without a byte order mark), or ISO-8859-1 when the XML declaration
///   says so (converted to UTF-8); any other declared encoding is refused. Every name, value and
///   text it hands out is valid UTF-8; invalid UTF-8 and characters XML forbids are refused.
/// - Well-formedness: one root element, matching end tags, no text but white space outside the
///   root, attributes in `'` or `"` with no `<` and no duplicates, references only to the five
///   predefined entities and to characters XML allows (`&#N;`, `&#xH;`), no `]]>` in text,
///   comments without `--`. Line ends are normalised (CR LF and CR to LF) and white space in
///   attribute values to spaces, as XML prescribes.
/// - Refusals: a DOCTYPE or entity declaration is refused, so nothing is ever expanded or fetched.
///   Processing instructions and comments are skipped.
/// - Errors: `XMLError` with the line (1-based) of the first malformation, counted in the
///   document's line feeds, and a fixed reason; never any text of the document. A document that
///   ends early is `truncated`.
/// - The views (`name`, `text`, attributes) are valid until the next `next()` call.
public struct XMLReader: ~Copyable {
    var source: any XMLByteSource
    let chunkSize: Int
    let limits: XMLLimits

    /// The parse buffer: `base[start..<end]` are unconsumed, checked bytes; `base[end..<rawEnd]`
    /// are read but not yet checked (a character cut by the chunk's end, or bytes past an error).
    var base: UnsafeMutablePointer<UInt8>
    var capacity: Int
    var start = 0
    var end = 0
    var rawEnd = 0
    var sourceDone = false
    /// An error found ahead of the parse (invalid UTF-8 at `pendingOffset`): bytes from there are
    /// not visible, and the error is thrown when the parse needs them.
    var pendingReason: XMLError.Reason?
    var pendingOffset = 0
    /// ISO-8859-1 input: chunks are read into `rawChunk` and converted into `base`.
    var latin1 = false
    var rawChunk: UnsafeMutablePointer<UInt8>?

    /// Line feeds in the document before `base[end]` (counted as bytes are checked; during the
    /// prolog, before checking starts, lines are counted from the buffer's start).
    var lineFeedsBeforeEnd = 0

    var prologDone = false
    var rootSeen = false
    var finished = false
    var pendingSelfClose = false
    var openNames: ByteStorage
    var openOffsets: [Int] = []
    var scratch: ByteStorage

    var nameBase: UnsafePointer<UInt8>
    var nameCount = 0
    var textBase: UnsafePointer<UInt8>
    var textCount = 0
    var attributeSlots: [AttributeSlot] = []

    struct AttributeSlot {
        var nameOffset: Int
        var nameCount: Int
        var valueOffset: Int
        var valueCount: Int
        var valueInScratch: Bool
    }

    public init(source: any XMLByteSource, chunkSize: Int = 256 << 10, limits: XMLLimits = XMLLimits()) {
        self.source = source
        self.chunkSize = max(1, chunkSize)
        self.limits = limits
        capacity = 2 * self.chunkSize + 64
        base = .allocate(capacity: capacity)
        openNames = ByteStorage(capacity: 256)
        scratch = ByteStorage(capacity: 1024)
        nameBase = UnsafePointer(base)
        textBase = UnsafePointer(base)
    }

    /// A reader of the file at `path`.
    public init(path: String, chunkSize: Int = 256 << 10, limits: XMLLimits = XMLLimits()) throws(XMLError) {
        self.init(source: try XMLFileSource(path: path), chunkSize: chunkSize, limits: limits)
    }

    deinit {
        base.deallocate()
        rawChunk?.deallocate()
    }

    /// The element name of the current start or end event.
    public var name: XMLSlice { XMLSlice(nameBase, nameCount) }

    /// The character data of the current text event.
    public var text: XMLSlice { XMLSlice(textBase, textCount) }

    /// The number of attributes of the current start event.
    public var attributeCount: Int { attributeSlots.count }

    public func attributeName(at i: Int) -> XMLSlice {
        let s = attributeSlots[i]
        return XMLSlice(base + s.nameOffset, s.nameCount)
    }

    public func attributeValue(at i: Int) -> XMLSlice {
        let s = attributeSlots[i]
        return XMLSlice((s.valueInScratch ? scratch.base : base) + s.valueOffset, s.valueCount)
    }

    /// The value of the current start event's attribute `name`, if it has one.
    public func attribute(_ name: StaticString) -> XMLSlice? {
        for i in 0..<attributeSlots.count where attributeName(at: i).equals(name) { return attributeValue(at: i) }
        return nil
    }

    /// The depth of open elements (1 inside the root's start tag's content).
    public var depth: Int { openOffsets.count }

    /// The line of the parse position (1-based): where the current token ended. Counts back from
    /// the end of the buffer, so it costs up to a chunk's bytes: for errors, not for every event.
    public mutating func currentLine() -> Int { line(at: start) }

    /// Reads the next event.
    public mutating func next() throws(XMLError) -> XMLEventKind {
        if pendingSelfClose {
            pendingSelfClose = false
            popName()
            return .endElement
        }
        if finished { return .endOfDocument }
        if !prologDone { try readProlog() }
        while true {
            guard try ensure(0) else { return try finishDocument() }
            if base[start] == 0x3C {
                guard try ensure(1) else { throw fail(.truncated, at: start) }
                let c = base[start + 1]
                if c == 0x2F { return try readEndTag() }
                if XMLCharacters.isNameStart(c) { return try readStartTag() }
                guard c == 0x21 || c == 0x3F else { throw fail(.malformedTag, at: start) }
                if openOffsets.isEmpty {
                    try skipMarkupOutsideRoot()
                    continue
                }
            } else if openOffsets.isEmpty {
                try skipWhitespaceOutsideRoot()
                continue
            }
            if try readText() { return .text }
        }
    }

    private mutating func finishDocument() throws(XMLError) -> XMLEventKind {
        if !openOffsets.isEmpty { throw fail(.truncated, at: start) }
        if !rootSeen { throw fail(.noRootElement, at: start) }
        finished = true
        return .endOfDocument
    }

    /// An error at buffer offset `offset`, with its line.
    mutating func fail(_ reason: XMLError.Reason, at offset: Int) -> XMLError {
        XMLError(reason, line: line(at: offset))
    }

    mutating func line(at offset: Int) -> Int {
        if !prologDone { return 1 + XMLCharacters.countLineFeeds(base, from: 0, to: min(max(offset, 0), rawEnd)) }
        let from = min(max(offset, 0), end)
        return 1 + lineFeedsBeforeEnd - XMLCharacters.countLineFeeds(base, from: from, to: end)
    }
}
