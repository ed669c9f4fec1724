import Glibc

/// Start and end tags, attributes and the stack of open elements.
extension XMLReader {
    /// `base[start]` is `<` followed by a name start character.
    mutating func readStartTag() throws(XMLError) -> XMLEventKind {
        // The common case: `<name>` all in the buffer.
        var n = 1
        // Eight ASCII letters at a time (most of a name), then byte by byte: the same end.
        while start + n + 8 <= end, XMLCharacters.areEightLetters(base + start + n) { n += 8 }
        while start + n < end, XMLCharacters.isNameChar(base[start + n]) { n += 1 }
        if start + n < end, base[start + n] == 0x3E {
            if !attributeSlots.isEmpty { attributeSlots.removeAll(keepingCapacity: true) }
            return try openElement(nameCount: n - 1, selfClose: false, tagEnd: n)
        }
        // Find the tag's end ('>' outside quotes, or a '<' that makes it malformed) first, so the
        // whole tag is in the buffer while it is parsed.
        var k = 1
        var quote: UInt8 = 0
        scan: while true {
            let limit = end - start
            let p = base + start
            while k < limit {
                let b = p[k]
                if quote != 0 {
                    if b == quote { quote = 0 }
                } else if b == 0x22 || b == 0x27 {
                    quote = b
                } else if b == 0x3E || b == 0x3C {
                    break scan
                }
                k += 1
            }
            guard try refill(throwPending: true) else { throw fail(.truncated, at: end) }
        }
        let tagEnd = k
        let p = base + start
        var i = 1
        while XMLCharacters.isNameChar(p[i]) { i += 1 }
        let nameCount = i - 1
        if !attributeSlots.isEmpty { attributeSlots.removeAll(keepingCapacity: true) }
        scratch.count = 0
        var selfClose = false
        while true {
            let hadSpace = XMLCharacters.isSpace(p[i])
            while XMLCharacters.isSpace(p[i]) { i += 1 }
            let b = p[i]
            if b == 0x3E {
                guard i == tagEnd else { throw fail(.malformedTag, at: start + i) }
                break
            }
            if b == 0x2F {
                guard i + 1 == tagEnd, p[tagEnd] == 0x3E else { throw fail(.malformedTag, at: start + i) }
                selfClose = true
                break
            }
            guard hadSpace, XMLCharacters.isNameStart(b), i < tagEnd else { throw fail(.malformedTag, at: start + i) }
            let attributeStart = i
            while XMLCharacters.isNameChar(p[i]) { i += 1 }
            let attributeNameCount = i - attributeStart
            while XMLCharacters.isSpace(p[i]) { i += 1 }
            guard p[i] == 0x3D else { throw fail(.malformedTag, at: start + i) }
            i += 1
            while XMLCharacters.isSpace(p[i]) { i += 1 }
            let q = p[i]
            guard q == 0x22 || q == 0x27, i < tagEnd else { throw fail(.malformedTag, at: start + i) }
            i += 1
            let slot = try readAttributeValue(p, from: i, quote: q, tagEnd: tagEnd, index: &i)
            i += 1
            for s in attributeSlots
            where s.nameCount == attributeNameCount
                && memcmp(base + s.nameOffset, p + attributeStart, attributeNameCount) == 0
            {
                throw fail(.duplicateAttribute, at: start + attributeStart)
            }
            guard attributeSlots.count < limits.maxAttributes else { throw fail(.tooManyAttributes, at: start) }
            attributeSlots.append(
                AttributeSlot(
                    nameOffset: start + attributeStart, nameCount: attributeNameCount, valueOffset: slot.offset,
                    valueCount: slot.count, valueInScratch: slot.inScratch))
        }
        return try openElement(nameCount: nameCount, selfClose: selfClose, tagEnd: tagEnd)
    }

    /// Pushes the element whose tag is `base[start...start + tagEnd]`, name at `start + 1`.
    @inline(__always)
    private mutating func openElement(nameCount: Int, selfClose: Bool, tagEnd: Int) throws(XMLError) -> XMLEventKind {
        if openOffsets.isEmpty && rootSeen { throw fail(.multipleRoots, at: start) }
        guard openOffsets.count < limits.maxDepth else { throw fail(.tooDeep, at: start) }
        rootSeen = true
        let p = base + start
        openOffsets.append(openNames.count)
        openNames.append(p + 1, nameCount)
        nameBase = UnsafePointer(p + 1)
        self.nameCount = nameCount
        start += tagEnd + 1
        pendingSelfClose = selfClose
        return .startElement
    }

    /// Reads a quoted value from `p[from]` up to its closing quote (left at `index`): in place when
    /// it needs no change, else decoded into `scratch`.
    private mutating func readAttributeValue(
        _ p: UnsafeMutablePointer<UInt8>, from: Int, quote: UInt8, tagEnd: Int, index i: inout Int
    ) throws(XMLError) -> (offset: Int, count: Int, inScratch: Bool) {
        var inScratch = false
        let scratchStart = scratch.count
        var runStart = from
        while true {
            guard i < tagEnd else { throw fail(.malformedTag, at: start + i) }
            let c = p[i]
            if c == quote { break }
            if c == 0x3C { throw fail(.lessThanInAttributeValue, at: start + i) }
            if c == 0x26 || c == 0x09 || c == 0x0A || c == 0x0D {
                inScratch = true
                scratch.append(p + runStart, i - runStart)
                if c == 0x26 {
                    switch XMLReference.decode(p, at: i, limit: tagEnd) {
                    case .scalar(let v, let next):
                        scratch.appendScalar(v)
                        i = next
                    case .failed(let reason):
                        throw fail(reason, at: start + i)
                    case .cut:
                        throw fail(.malformedReference, at: start + i)
                    }
                } else {
                    scratch.append(0x20)
                    i += (c == 0x0D && p[i + 1] == 0x0A) ? 2 : 1
                }
                runStart = i
                continue
            }
            i += 1
        }
        if inScratch {
            scratch.append(p + runStart, i - runStart)
            return (scratchStart, scratch.count - scratchStart, true)
        }
        return (start + from, i - from, false)
    }

    /// `base[start]` is `<` and `base[start + 1]` is `/`.
    mutating func readEndTag() throws(XMLError) -> XMLEventKind {
        // The common case: `</name>` for the open element, all in the buffer.
        if let top = openOffsets.last {
            let count = openNames.count - top
            if start + count + 2 < end, base[start + count + 2] == 0x3E,
                memcmp(openNames.base + top, base + start + 2, count) == 0
            {
                start += count + 3
                popName()
                return .endElement
            }
        }
        guard try ensure(2) else { throw fail(.truncated, at: end) }
        guard XMLCharacters.isNameStart(base[start + 2]) else { throw fail(.malformedTag, at: start) }
        var k = 3
        while true {
            guard try ensure(k) else { throw fail(.truncated, at: end) }
            if !XMLCharacters.isNameChar(base[start + k]) { break }
            k += 1
        }
        let nameEnd = k
        while true {
            guard try ensure(k) else { throw fail(.truncated, at: end) }
            if !XMLCharacters.isSpace(base[start + k]) { break }
            k += 1
        }
        guard base[start + k] == 0x3E else { throw fail(.malformedTag, at: start + k) }
        guard let top = openOffsets.last else { throw fail(.endTagWithoutStart, at: start) }
        let count = nameEnd - 2
        guard openNames.count - top == count, memcmp(openNames.base + top, base + start + 2, count) == 0 else {
            throw fail(.mismatchedEndTag, at: start)
        }
        start += k + 1
        popName()
        return .endElement
    }

    /// Closes the innermost element; its name stays readable until the next push.
    mutating func popName() {
        let offset = openOffsets.removeLast()
        nameBase = UnsafePointer(openNames.base + offset)
        nameCount = openNames.count - offset
        openNames.count = offset
    }
}

/// `&...;` references: the five predefined entities and character references.
enum XMLReference {
    /// The longest reference read, `&` to `;` (leading zeros beyond this are refused).
    static let maxLength = 40

    enum Result {
        case scalar(UInt32, next: Int)
        case failed(XMLError.Reason)
        /// `limit` came before the `;`.
        case cut
    }

    /// Decodes the reference at `p[at]` (`&`), reading no byte at or past `limit`.
    static func decode(_ p: UnsafePointer<UInt8>, at: Int, limit: Int) -> Result {
        var j = at + 1
        guard j < limit else { return .cut }
        if p[j] == 0x23 {
            j += 1
            guard j < limit else { return .cut }
            var hex = false
            if p[j] == 0x78 {
                hex = true
                j += 1
            }
            var value: UInt32 = 0
            let digitsStart = j
            while true {
                guard j < limit else { return .cut }
                let b = p[j]
                var digit: UInt32
                switch b {
                case 0x30...0x39: digit = UInt32(b - 0x30)
                case 0x61...0x66 where hex: digit = UInt32(b - 0x61 + 10)
                case 0x41...0x46 where hex: digit = UInt32(b - 0x41 + 10)
                case 0x3B:
                    guard j > digitsStart else { return .failed(.malformedReference) }
                    guard XMLCharacters.isAllowedScalar(value) else { return .failed(.invalidCharacterReference) }
                    return .scalar(value, next: j + 1)
                default:
                    return .failed(.malformedReference)
                }
                value = value > 0x10FFFF ? value : value * (hex ? 16 : 10) + digit
                j += 1
                if j - at > maxLength { return .failed(.malformedReference) }
            }
        }
        let nameStart = j
        while true {
            // The length limit comes first, so a reference reads the same however the document
            // was cut into reads (the reader looks `maxLength` bytes ahead, no further).
            guard j - at <= maxLength else { return .failed(.malformedReference) }
            guard j < limit else { return .cut }
            let b = p[j]
            if b == 0x3B { break }
            guard XMLCharacters.isNameChar(b) else { return .failed(.malformedReference) }
            j += 1
        }
        guard j > nameStart, XMLCharacters.isNameStart(p[nameStart]) else { return .failed(.malformedReference) }
        let n = j - nameStart
        let name = p + nameStart
        let value: UInt32
        if n == 2, name[1] == 0x74, name[0] == 0x6C {
            value = 0x3C
        } else if n == 2, name[1] == 0x74, name[0] == 0x67 {
            value = 0x3E
        } else if n == 3, memcmp(name, "amp", 3) == 0 {
            value = 0x26
        } else if n == 4, memcmp(name, "apos", 4) == 0 {
            value = 0x27
        } else if n == 4, memcmp(name, "quot", 4) == 0 {
            value = 0x22
        } else {
            return .failed(.undefinedEntity)
        }
        return .scalar(value, next: j + 1)
    }
}
