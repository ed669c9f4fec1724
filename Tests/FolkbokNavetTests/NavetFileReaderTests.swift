import FolkbokModel
import FolkbokNavet
import FolkbokXML
import XCTest

final class NavetFileReaderTests: XCTestCase {
    /// The post of NAVET.md with every part present.
    let fullPost = """
        <Sekretessmarkering>N</Sekretessmarkering>
        <SkyddadFolkbokforing>N</SkyddadFolkbokforing>
        <Arendeuppgift andringstidpunkt="20261206101500" totalpost="J" utsokningsdatum="20261206"/>
        <Personpost>
          <PersonId><PersonNr>191212121212</PersonNr></PersonId>
          <HanvisningsPersonNr>197001011233</HanvisningsPersonNr>
          <Avregistrering><AvregistreringsorsakKod>AV</AvregistreringsorsakKod>
            <Avregistreringsdatum>20250300</Avregistreringsdatum></Avregistrering>
          <Namn><Tilltalsnamnsmarkering>20</Tilltalsnamnsmarkering><Fornamn>Tolvan Gustav</Fornamn>
            <Mellannamn>Mellan</Mellannamn><Efternamn>Tolvansson</Efternamn><Aviseringsnamn>Tolvansson, Gustav</Aviseringsnamn></Namn>
          <Folkbokforing><Folkbokforingsdatum>20100101</Folkbokforingsdatum>
            <LanKod>01</LanKod><KommunKod>80</KommunKod><ForsamlingKod>018001</ForsamlingKod></Folkbokforing>
          <Adresser>
            <Folkbokforingsadress><CareOf>c/o Ek</CareOf><Utdelningsadress1>Lgh 1001</Utdelningsadress1>
              <Utdelningsadress2>Gatan 1</Utdelningsadress2><PostNr>11122</PostNr><Postort>STOCKHOLM</Postort></Folkbokforingsadress>
            <SarskildPostadress><Utdelningsadress1>Box 12</Utdelningsadress1><PostNr>222 33</PostNr><Postort>LUND</Postort></SarskildPostadress>
            <Utlandsadress><Utdelningsadress1>Storgata 1</Utdelningsadress1><Utdelningsadress2>0150 Oslo</Utdelningsadress2>
              <Land>NORGE</Land></Utlandsadress>
          </Adresser>
          <Civilstand><CivilstandKod>G</CivilstandKod><Civilstandsdatum>20010601</Civilstandsdatum></Civilstand>
          <Fodelse>
            <HemortSverige><FodelselanKod>01</FodelselanKod><Fodelseforsamling>Sofia</Fodelseforsamling></HemortSverige>
          </Fodelse>
          <Invandring><Invandringsdatum>19990000</Invandringsdatum></Invandring>
          <Relationer>
            <Relation><RelationId><PersonNr>201501011231</PersonNr></RelationId>
              <Relationstyp>B</Relationstyp><RelationFromdatum>20150101</RelationFromdatum></Relation>
            <Relation><RelationId><FodelsetidNr>195511111113</FodelsetidNr></RelationId>
              <Relationstyp>M</Relationstyp><RelationFromdatum>20010601</RelationFromdatum><RelationTomdatum>20200000</RelationTomdatum></Relation>
          </Relationer>
          <Medborgarskap><MedborgarskapslandKod>SE</MedborgarskapslandKod></Medborgarskap>
          <Medborgarskap><MedborgarskapslandKod>NO</MedborgarskapslandKod><Medborgarskapsdatum>19990000</Medborgarskapsdatum></Medborgarskap>
          <Historik><Namn><Efternamn>Old</Efternamn></Namn></Historik>
        </Personpost>
        """

    func test_everyPartOfAPost_isRead() throws {
        let file = try NavetFile.read(bytes: Array(navetDocument([fullPost]).utf8))
        XCTAssertEqual(
            file.header,
            NavetFileHeader(
                orderId: "00000236-FO01-0001", product: "NAVETAVISERING", postCount: 1,
                fileCount: 1, fileNumber: 1))
        let p = try XCTUnwrap(file.posts.first)
        XCTAssertEqual(p.index, 1)
        XCTAssertEqual(p.secrecyMarking, "N")
        XCTAssertEqual(p.protectedRegistration, "N")
        XCTAssertEqual(p.totalpost, "J")
        XCTAssertEqual(p.changedAt, "20261206101500")
        XCTAssertEqual(p.personNumber, "191212121212")
        XCTAssertEqual(p.referredTo, "197001011233")
        XCTAssertEqual(p.deregistration, NavetPost.Deregistration(code: "AV", date: "20250300"))
        XCTAssertEqual(
            p.name,
            NavetPost.Name(
                callNameMarking: "20", given: "Tolvan Gustav", middle: "Mellan", surname: "Tolvansson",
                notificationName: "Tolvansson, Gustav"))
        XCTAssertEqual(
            p.registration, NavetPost.Registration(date: "20100101", county: "01", municipality: "80", parish: "018001")
        )
        XCTAssertEqual(
            p.addresses?.registered,
            NavetPost.PostalAddress(
                careOf: "c/o Ek", line1: "Lgh 1001", line2: "Gatan 1",
                postalCode: "11122", city: "STOCKHOLM"))
        XCTAssertEqual(
            p.addresses?.special, NavetPost.PostalAddress(line1: "Box 12", postalCode: "222 33", city: "LUND"))
        XCTAssertEqual(
            p.addresses?.foreign, NavetPost.ForeignAddress(line1: "Storgata 1", line2: "0150 Oslo", country: "NORGE"))
        XCTAssertEqual(p.civilStatus, NavetPost.CivilStatus(code: "G", date: "20010601"))
        XCTAssertEqual(p.birth, NavetPost.Birth(homeCounty: "01", homeParish: "Sofia"))
        XCTAssertEqual(p.immigration, NavetPost.Immigration(date: "19990000"))
        XCTAssertEqual(
            p.relations,
            [
                NavetPost.Relation(personNumber: "201501011231", type: "B", from: "20150101"),
                NavetPost.Relation(birthTimeNumber: "195511111113", type: "M", from: "20010601", to: "20200000"),
            ])
        XCTAssertEqual(
            p.citizenships,
            [NavetPost.Citizenship(country: "SE"), NavetPost.Citizenship(country: "NO", date: "19990000")])
    }

    func test_postsSplitAcrossReadsAtAnySize_readTheSame() throws {
        let bytes = Array(navetDocument([fullPost, post(given: " Anna <!-- c -->Karin "), fullPost]).utf8)
        let whole = try NavetFile.read(bytes: bytes)
        XCTAssertEqual(whole.posts[1].name?.given, "Anna Karin")
        for size in 1...40 {
            var reader = NavetFileReader(
                xml: XMLReader(source: XMLMemorySource(bytes, pieceSizes: [size]), chunkSize: size))
            var posts: [NavetPost] = []
            while let p = try reader.nextPost() { posts.append(p) }
            XCTAssertEqual(posts, whole.posts, "reads of \(size) bytes")
        }
    }

    func test_writer_roundTripsEveryPart() throws {
        let original = try NavetFile.read(bytes: Array(navetDocument([fullPost, fullPost]).utf8))
        for encoding in [NavetWriter.Encoding.utf8, .latin1] {
            let bytes = NavetWriter(encoding: encoding).document(header: original.header, posts: original.posts)
            XCTAssertEqual(try NavetFile.read(bytes: bytes), original)
        }
    }

    func test_latin1File_givesSwedishLetters() throws {
        let doc = navetDocument(
            [post(surname: "Åström", given: "Märta Öjvind")],
            declaration: "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>")
        let latin1 = doc.unicodeScalars.map { UInt8($0.value) }
        XCTAssertTrue(latin1.contains(0xC5))
        let p = try NavetFile.read(bytes: latin1).posts[0]
        XCTAssertEqual(p.name?.surname, "Åström")
        XCTAssertEqual(p.name?.given, "Märta Öjvind")
        // The same bytes declared UTF-8 are not valid UTF-8.
        let asUTF8 = Array(navetDocument([post(surname: "Åström")]).unicodeScalars.map { UInt8($0.value) })
        XCTAssertEqual(fileError(asUTF8)?.reason, "malformed_file")
    }

    func test_countDifferentFromAntalPoster_isMalformedAtItsLine() {
        let e = fileError(Array(navetDocument([post(), post()], count: 3).utf8))
        XCTAssertEqual(e?.reason, "malformed_file")
        XCTAssertEqual(e?.line, 3)
        XCTAssertEqual(fileError(Array(navetDocument([post(), post()], count: 1).utf8))?.reason, "malformed_file")
    }

    func test_malformedTruncatedOrForeignFiles_areMalformedWithALine() {
        let good = navetDocument([post(), post()])
        XCTAssertNil(fileError(Array(good.utf8)))
        let cut = Array(good.utf8.prefix(good.utf8.count - 30))
        XCTAssertEqual(fileError(cut)?.reason, "malformed_file")
        XCTAssertEqual(fileError(cut)?.message, XMLError.Reason.truncated.message)
        let bad = good.replacingOccurrences(of: "</Efternamn>", with: "</Efternamm>")
        XCTAssertEqual(
            fileError(Array(bad.utf8)),
            NavetFileError(.malformedFile, line: 5, XMLError.Reason.mismatchedEndTag.message))
        XCTAssertEqual(fileError(Array("<Other/>".utf8))?.reason, "malformed_file")
        let entity = "<?xml version=\"1.0\"?>\n<!DOCTYPE Navetavisering [<!ENTITY x \"y\">]>\n<Navetavisering/>"
        XCTAssertEqual(fileError(Array(entity.utf8))?.line, 2)
        let notANumber = navetDocument([post()]).replacingOccurrences(of: "<AntalPoster>1<", with: "<AntalPoster>one<")
        XCTAssertEqual(fileError(Array(notANumber.utf8))?.reason, "malformed_file")
        XCTAssertFalse(fileError(Array(bad.utf8))!.description.contains("Tolvansson"))
    }

    func test_fileWithoutHeader_isReadWithoutCountCheck() throws {
        let doc =
            "<Navetavisering><Folkbokforingsposter><Folkbokforingspost>\(post())</Folkbokforingspost></Folkbokforingsposter></Navetavisering>"
        let file = try NavetFile.read(bytes: Array(doc.utf8))
        XCTAssertEqual(file.header, NavetFileHeader())
        XCTAssertEqual(file.posts.count, 1)
    }

    func test_fileSource_streamsPostsFromDisk() throws {
        let path = NSTemporaryDirectory() + "navet-\(getpid()).xml"
        let posts = (0..<2000).map { _ in post() }
        try Data(navetDocument(posts).utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        var reader = try NavetFileReader(path: path)
        XCTAssertEqual(try reader.readHeader().postCount, 2000)
        var n = 0
        while let p = try reader.nextPost() {
            n += 1
            XCTAssertEqual(p.index, n)
        }
        XCTAssertEqual(n, 2000)
        do {
            _ = try NavetFileReader(path: path + ".missing")
            XCTFail("a missing file opened")
        } catch {
            XCTAssertEqual(error.reason, "unreadable_file")
        }
    }
}
