/// Character data, and the markup that is skipped or folded into it: comments, CDATA sections,
/// processing instructions.
extension XMLReader {
    /// Reads the character data at `start` inside the root, through any comments, CDATA sections
    /// and processing instructions, up to the next tag. True if it holds any character.
    mutating func readText() throws(XMLError) -> Bool {
        scratch.count = 0
        var usingScratch = false
        var k = 0
        var runStart = 0
        scan: while true {
            let limit = end - start
            var p = base + start
            // Eight bytes at a time past runs with none of the four, then byte by byte.
            while k + 8 <= limit, !XMLCharacters.hasTextMarkup(p + k) { k += 8 }
            while k < limit {
                let b = p[k]
                if b == 0x3C || b == 0x26 || b == 0x0D || b == 0x5D { break }
                k += 1
            }
            if k >= limit {
                if usingScratch {
                    try keep(p + runStart, k - runStart)
                    start += k
                    k = 0
                    runStart = 0
                }
                guard try refill(throwPending: true) else { throw fail(.truncated, at: end) }
                continue
            }
            switch p[k] {
            case 0x3C:
                guard try ensure(k + 1) else { throw fail(.truncated, at: end) }
                p = base + start
                let c = p[k + 1]
                if c != 0x21 && c != 0x3F { break scan }
                usingScratch = true
                try keep(p + runStart, k - runStart)
                start += k
                k = 0
                runStart = 0
                try readMarkupInText()
            case 0x26:
                usingScratch = true
                try keep(p + runStart, k - runStart)
                _ = try lookahead(k + XMLReference.maxLength)
                p = base + start
                switch XMLReference.decode(p, at: k, limit: end - start) {
                case .scalar(let v, let next):
                    scratch.appendScalar(v)
                    k = next
                case .failed(let reason):
                    throw fail(reason, at: start + k)
                case .cut:
                    if end - start - k > XMLReference.maxLength { throw fail(.malformedReference, at: start + k) }
                    if let reason = pendingReason { throw fail(reason, at: pendingOffset) }
                    throw fail(.truncated, at: end)
                }
                runStart = k
            case 0x0D:
                usingScratch = true
                try keep(p + runStart, k - runStart)
                scratch.append(0x0A)
                let more = try lookahead(k + 1)
                p = base + start
                k += (more && p[k + 1] == 0x0A) ? 2 : 1
                runStart = k
            default:
                // ']': refused only as the start of "]]>".
                if try lookahead(k + 2) {
                    p = base + start
                    if p[k + 1] == 0x5D && p[k + 2] == 0x3E { throw fail(.cdataEndInText, at: start + k) }
                }
                k += 1
            }
        }
        if usingScratch {
            try keep(base + start + runStart, k - runStart)
            textBase = UnsafePointer(scratch.base)
            textCount = scratch.count
        } else {
            textBase = UnsafePointer(base + start)
            textCount = k
        }
        start += k
        return textCount > 0
    }

    /// Appends decoded text to `scratch`, within the token limit.
    private mutating func keep(_ from: UnsafePointer<UInt8>, _ n: Int) throws(XMLError) {
        scratch.append(from, n)
        if scratch.count > limits.maxTokenBytes { throw fail(.tokenTooLong, at: start) }
    }

    /// `base[start]` is `<` followed by `!` or `?` inside the root.
    private mutating func readMarkupInText() throws(XMLError) {
        if base[start + 1] == 0x3F { return try skipProcessingInstruction() }
        if try matches("<!--", at: 0) { return try skipComment() }
        if try matches("<![CDATA[", at: 0) { return try appendCDATA() }
        throw try refusal()
    }

    /// `base[start]` is `<` followed by neither `/` nor a name start, outside the root.
    mutating func skipMarkupOutsideRoot() throws(XMLError) {
        let c = base[start + 1]
        if c == 0x3F { return try skipProcessingInstruction() }
        guard c == 0x21 else { throw fail(.malformedTag, at: start) }
        if try matches("<!--", at: 0) { return try skipComment() }
        if try matches("<![CDATA[", at: 0) { throw fail(.textOutsideRoot, at: start) }
        throw try refusal()
    }

    /// The error for `<!` that starts neither a comment nor CDATA.
    private mutating func refusal() throws(XMLError) -> XMLError {
        if try matches("<!DOCTYPE", at: 0) { return fail(.doctypeRefused, at: start) }
        if try matches("<!ENTITY", at: 0) { return fail(.entityDeclarationRefused, at: start) }
        if try !lookahead(8) {
            if let reason = pendingReason { return fail(reason, at: pendingOffset) }
            return fail(.truncated, at: end)
        }
        return fail(.malformedMarkup, at: start)
    }

    /// White space between the prolog's or epilog's markup; anything else is text outside the root.
    mutating func skipWhitespaceOutsideRoot() throws(XMLError) {
        while true {
            let limit = end - start
            var k = 0
            while k < limit, XMLCharacters.isSpace(base[start + k]) { k += 1 }
            start += k
            if k < limit {
                if base[start] == 0x3C { return }
                throw fail(.textOutsideRoot, at: start)
            }
            guard try refill(throwPending: true) else { return }
        }
    }

    /// `base[start...]` is `<!--`: skips to the end of the comment; `--` inside is refused.
    mutating func skipComment() throws(XMLError) {
        var k = 4
        while true {
            let limit = end - start
            while k < limit, base[start + k] != 0x2D { k += 1 }
            if k >= limit {
                start += k - 1
                k = 1
                guard try refill(throwPending: true) else { throw fail(.truncated, at: end) }
                continue
            }
            guard try ensure(k + 1) else { throw fail(.truncated, at: end) }
            if base[start + k + 1] == 0x2D {
                guard try ensure(k + 2) else { throw fail(.truncated, at: end) }
                guard base[start + k + 2] == 0x3E else { throw fail(.malformedComment, at: start + k) }
                start += k + 3
                return
            }
            k += 1
        }
    }

    /// `base[start...]` is `<![CDATA[`: appends its content (line ends normalised) to `scratch`.
    private mutating func appendCDATA() throws(XMLError) {
        var k = 9
        var runStart = 9
        while true {
            let limit = end - start
            while k < limit, base[start + k] != 0x5D, base[start + k] != 0x0D { k += 1 }
            if k >= limit {
                try keep(base + start + runStart, k - runStart)
                start += k
                k = 0
                runStart = 0
                guard try refill(throwPending: true) else { throw fail(.truncated, at: end) }
                continue
            }
            if base[start + k] == 0x0D {
                try keep(base + start + runStart, k - runStart)
                scratch.append(0x0A)
                let more = try lookahead(k + 1)
                k += (more && base[start + k + 1] == 0x0A) ? 2 : 1
                runStart = k
                continue
            }
            guard try ensure(k + 2) else { throw fail(.truncated, at: end) }
            if base[start + k + 1] == 0x5D, base[start + k + 2] == 0x3E {
                try keep(base + start + runStart, k - runStart)
                start += k + 3
                return
            }
            k += 1
        }
    }

    /// `base[start...]` is `<?`: skips a processing instruction; one named `xml` (any case) is a
    /// declaration out of place.
    mutating func skipProcessingInstruction() throws(XMLError) {
        guard try ensure(2) else { throw fail(.truncated, at: end) }
        guard XMLCharacters.isNameStart(base[start + 2]) else { throw fail(.malformedProcessingInstruction, at: start) }
        var k = 3
        while true {
            guard try ensure(k) else { throw fail(.truncated, at: end) }
            if !XMLCharacters.isNameChar(base[start + k]) { break }
            k += 1
        }
        if k == 5, base[start + 2] | 0x20 == 0x78, base[start + 3] | 0x20 == 0x6D, base[start + 4] | 0x20 == 0x6C {
            throw fail(.misplacedDeclaration, at: start)
        }
        let c = base[start + k]
        guard c == 0x3F || XMLCharacters.isSpace(c) else { throw fail(.malformedProcessingInstruction, at: start) }
        while true {
            let limit = end - start
            while k < limit, base[start + k] != 0x3F { k += 1 }
            if k >= limit {
                start += k - 1
                k = 1
                guard try refill(throwPending: true) else { throw fail(.truncated, at: end) }
                continue
            }
            guard try ensure(k + 1) else { throw fail(.truncated, at: end) }
            if base[start + k + 1] == 0x3E {
                start += k + 2
                return
            }
            k += 1
        }
    }
}
