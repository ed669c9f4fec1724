import FolkbokModel
import FolkbokNavet
import FolkbokXML
import FuzzDriver

// The input is a Navet file: `NavetFileReader` must answer with posts or a `NavetFileError`,
// never a trap; `NavetMapping` must answer each post with a mapped post or a rejection whose
// reason is one of its fixed forms without a digit (no identity, date or code from the file).
// What reads is written back with `NavetWriter` and must read to the same header and posts.
// Byte 0 picks how the rest is cut into reads.
fuzzMain { data, size in
    let input = FuzzInput(fuzz: data, size)
    guard let first = input.first else { return 0 }
    let document = Array(input.dropFirst())
    let pieces = first & 0x80 == 0 ? [] : [1 + Int(first & 0x1F)]
    var reader = NavetFileReader(xml: XMLReader(source: XMLMemorySource(document, pieceSizes: pieces), chunkSize: pieces.isEmpty ? 4096 : 64,
                                                limits: XMLLimits(maxTokenBytes: 1 << 16, maxDepth: 64, maxAttributes: 64)))
    var posts: [NavetPost] = []
    do throws(NavetFileError) {
        while let post = try reader.nextPost() { posts.append(post) }
    } catch {
        precondition(error.kind == .malformedFile, "a file in memory refused as something other than malformed")
        precondition(error.line.map { $0 >= 1 } ?? false, "a malformed file without a line")
        return 0
    }
    let today = CivilDate(year: 2026, month: 12, day: 6)!
    let forms = ["invalid identity: ", "impossible date: ", "invalid code: ", "missing code: ", "missing identity: ", "missing surname: "]
    for post in posts {
        do throws(NavetRejection) {
            let mapped = try NavetMapping.map(post, today: today)
            precondition(mapped.record.birthDate == mapped.record.id.impliedBirthDate, "a birth date not from the number")
            if let call = mapped.record.name.callName {
                let names = (mapped.record.name.given ?? "").split(separator: " ").map(String.init)
                precondition(call.split(separator: "-", omittingEmptySubsequences: false).allSatisfy { part in
                    names.contains(where: { $0.contains(part) })
                }, "a call name that is not made of given names")
            }
        } catch {
            precondition(forms.contains { error.reason.hasPrefix($0) }, "a rejection in no known form")
            precondition(!error.reason.contains { $0.isNumber }, "a rejection reason with a digit")
        }
    }
    let header = reader.header
    for encoding in [NavetWriter.Encoding.utf8, .latin1] {
        let written = NavetWriter(encoding: encoding).document(header: header, posts: posts)
        do {
            let again = try NavetFile.read(bytes: written)
            precondition(again.header == header, "a header written back reads differently")
            precondition(again.posts == posts, "posts written back read differently")
        } catch {
            preconditionFailure("a file written back does not read: \(error)")
        }
    }
    return 0
}
