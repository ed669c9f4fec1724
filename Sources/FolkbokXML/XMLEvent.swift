/// An attribute as an owned value.
public struct XMLAttribute: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// One event as an owned value, for tests and for code that keeps events (the reader's own API,
/// `next()` with views, allocates nothing per event).
public enum XMLEvent: Sendable, Hashable {
    case start(String, [XMLAttribute])
    case end(String)
    case text(String)
}

extension XMLReader {
    /// The next event copied out, or nil at the end of a well-formed document.
    public mutating func nextEvent() throws(XMLError) -> XMLEvent? {
        switch try next() {
        case .startElement:
            var attributes: [XMLAttribute] = []
            for i in 0..<attributeCount {
                attributes.append(XMLAttribute(attributeName(at: i).string, attributeValue(at: i).string))
            }
            return .start(name.string, attributes)
        case .endElement:
            return .end(name.string)
        case .text:
            return .text(text.string)
        case .endOfDocument:
            return nil
        }
    }

    /// Every remaining event (the whole document in memory: for tests and small files).
    public mutating func allEvents() throws(XMLError) -> [XMLEvent] {
        var events: [XMLEvent] = []
        while let event = try nextEvent() { events.append(event) }
        return events
    }
}
