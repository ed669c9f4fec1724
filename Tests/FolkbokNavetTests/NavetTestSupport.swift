import FolkbokModel
import FolkbokNavet
import XCTest

let today = CivilDate(year: 2026, month: 12, day: 6)!

/// A file around `posts` (each a `<Folkbokforingspost>` body), with a header counting them.
func navetDocument(
    _ posts: [String], count: Int? = nil, declaration: String = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
) -> String {
    var s = declaration + "\n<Navetavisering>\n<Aviseringsinformation><Filinformation>"
    s += "<BestallningsId>00000236-FO01-0001</BestallningsId><Produkt>NAVETAVISERING</Produkt><Utfil>"
    s += "<AntalPoster>\(count ?? posts.count)</AntalPoster><AntalFiler>1</AntalFiler><FilNr>1</FilNr></Utfil>"
    s += "</Filinformation></Aviseringsinformation>\n<Folkbokforingsposter>\n"
    for p in posts { s += "<Folkbokforingspost>" + p + "</Folkbokforingspost>\n" }
    return s + "</Folkbokforingsposter>\n</Navetavisering>\n"
}

/// A whole post for `number` with the given extra `Personpost` children and markings.
func post(
    _ number: String = "191212121212", surname: String? = "Tolvansson", given: String = "Tolvan Gustav",
    marking: String? = nil, person: String = "", before: String = "", totalpost: String = "J"
) -> String {
    var name = "<Namn>"
    if let marking { name += "<Tilltalsnamnsmarkering>\(marking)</Tilltalsnamnsmarkering>" }
    name += "<Fornamn>\(given)</Fornamn>"
    if let surname { name += "<Efternamn>\(surname)</Efternamn>" }
    name += "</Namn>"
    return before
        + "<Arendeuppgift andringstidpunkt=\"20261206101500\" totalpost=\"\(totalpost)\" utsokningsdatum=\"20261206\"/>"
        + "<Personpost><PersonId><PersonNr>\(number)</PersonNr></PersonId>" + name + person + "</Personpost>"
}

func readPosts(_ document: String, file: StaticString = #filePath, line: UInt = #line) -> [NavetPost] {
    do { return try NavetFile.read(bytes: Array(document.utf8)).posts } catch {
        XCTFail("unexpected \(error)", file: file, line: line)
        return []
    }
}

func fileError(_ document: [UInt8]) -> NavetFileError? {
    do {
        _ = try NavetFile.read(bytes: document)
        return nil
    } catch { return error }
}

/// Maps the single post of a file.
func mapped(_ body: String, file: StaticString = #filePath, line: UInt = #line) -> Result<
    NavetMappedPost, NavetRejection
> {
    let posts = readPosts(navetDocument([body]), file: file, line: line)
    guard posts.count == 1 else { return .failure(NavetRejection("no post")) }
    do { return .success(try NavetMapping.map(posts[0], today: today)) } catch { return .failure(error) }
}

func record(_ body: String, file: StaticString = #filePath, line: UInt = #line) -> NavetMappedPost? {
    switch mapped(body, file: file, line: line) {
    case .success(let m): return m
    case .failure(let r):
        XCTFail("rejected: \(r.reason)", file: file, line: line)
        return nil
    }
}

func rejection(_ body: String, file: StaticString = #filePath, line: UInt = #line) -> String? {
    switch mapped(body, file: file, line: line) {
    case .success:
        XCTFail("accepted", file: file, line: line)
        return nil
    case .failure(let r): return r.reason
    }
}
