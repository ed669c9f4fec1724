/// Why a document was refused, and where.
///
/// Guarantees: `line` is the 1-based line of the first malformation found (for a document cut
/// short, the last line); `reason` and `description` are fixed English wording that never holds
/// any text of the document, so both may be logged and sent to callers.
public struct XMLError: Error, Equatable, Sendable, CustomStringConvertible {
    public var reason: Reason
    public var line: Int

    public init(_ reason: Reason, line: Int) {
        self.reason = reason
        self.line = line
    }

    public var description: String { "line \(line): \(reason.message)" }

    /// The kinds of refusal. `cannotOpen` and `readFailed` are the environment's (an errno);
    /// every other case is a malformed document.
    public enum Reason: Equatable, Sendable {
        case cannotOpen(errno: Int32)
        case readFailed(errno: Int32)
        case truncated
        case invalidUTF8
        case forbiddenCharacter
        case unsupportedEncoding
        case malformedDeclaration
        case misplacedDeclaration
        case doctypeRefused
        case entityDeclarationRefused
        case malformedMarkup
        case malformedTag
        case malformedComment
        case malformedProcessingInstruction
        case lessThanInAttributeValue
        case duplicateAttribute
        case malformedReference
        case undefinedEntity
        case invalidCharacterReference
        case cdataEndInText
        case mismatchedEndTag
        case endTagWithoutStart
        case textOutsideRoot
        case multipleRoots
        case noRootElement
        case tooDeep
        case tooManyAttributes
        case tokenTooLong

        /// True for a document that is not well-formed (or not acceptable), false for a failure
        /// to open or read it.
        public var isMalformation: Bool {
            switch self {
            case .cannotOpen, .readFailed: false
            default: true
            }
        }

        public var message: String {
            switch self {
            case .cannotOpen(let e): "the file cannot be opened (errno \(e))"
            case .readFailed(let e): "the file cannot be read (errno \(e))"
            case .truncated: "the document is cut short"
            case .invalidUTF8: "bytes that are not valid UTF-8"
            case .forbiddenCharacter: "a character XML does not allow"
            case .unsupportedEncoding: "an encoding other than UTF-8 or ISO-8859-1"
            case .malformedDeclaration: "a malformed XML declaration"
            case .misplacedDeclaration: "an XML declaration that is not at the start"
            case .doctypeRefused: "a document type declaration (DOCTYPE), which is refused"
            case .entityDeclarationRefused: "an entity declaration, which is refused"
            case .malformedMarkup: "malformed markup"
            case .malformedTag: "a malformed tag"
            case .malformedComment: "a malformed comment"
            case .malformedProcessingInstruction: "a malformed processing instruction"
            case .lessThanInAttributeValue: "a '<' in an attribute value"
            case .duplicateAttribute: "an attribute given twice in one tag"
            case .malformedReference: "a '&' that does not start a reference"
            case .undefinedEntity: "a reference to an entity other than the five predefined ones"
            case .invalidCharacterReference: "a character reference to a character XML does not allow"
            case .cdataEndInText: "']]>' in text"
            case .mismatchedEndTag: "an end tag that does not match its start tag"
            case .endTagWithoutStart: "an end tag without a start tag"
            case .textOutsideRoot: "text outside the root element"
            case .multipleRoots: "more than one root element"
            case .noRootElement: "no root element"
            case .tooDeep: "elements nested too deeply"
            case .tooManyAttributes: "too many attributes in one tag"
            case .tokenTooLong: "a tag or text longer than the reader's limit"
            }
        }
    }
}
