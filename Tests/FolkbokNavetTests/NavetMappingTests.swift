import FolkbokModel
import FolkbokNavet
import XCTest

/// Every mapping rule of docs/PROTOCOL.md "Navet notification files".
final class NavetMappingTests: XCTestCase {
    func test_callName_followsTheMarking() {
        XCTAssertEqual(NavetMapping.callName(marking: "12", given: "Anna Karin"), "Anna-Karin")
        XCTAssertEqual(NavetMapping.callName(marking: "21", given: "Per Olof"), "Olof-Per")
        XCTAssertEqual(NavetMapping.callName(marking: "10", given: "Per Olof"), "Per")
        XCTAssertEqual(NavetMapping.callName(marking: "20", given: "Per  Olof"), "Olof")
        XCTAssertEqual(NavetMapping.callName(marking: "30", given: "Anna-Karin Eva Lena"), "Lena")
        XCTAssertEqual(NavetMapping.callName(marking: "10", given: "Anna-Karin"), "Anna-Karin")
        XCTAssertNil(NavetMapping.callName(marking: "30", given: "Per Olof"))
        XCTAssertNil(NavetMapping.callName(marking: "13", given: "Per Olof"))
        XCTAssertNil(NavetMapping.callName(marking: nil, given: "Per Olof"))
        XCTAssertNil(NavetMapping.callName(marking: "5", given: "Per Olof"))
        XCTAssertNil(NavetMapping.callName(marking: "01", given: "Per Olof"))
        XCTAssertNil(NavetMapping.callName(marking: "1a", given: "Per Olof"))
        XCTAssertEqual(
            record(post(given: "Anna Karin", marking: "12"))?.record.name,
            PersonName(given: "Anna Karin", callName: "Anna-Karin", surname: "Tolvansson"))
        XCTAssertEqual(record(post(given: "Per Olof", marking: "21"))?.record.name.callName, "Olof-Per")
        XCTAssertNil(record(post(given: "Per Olof"))?.record.name.callName)
    }

    func test_identity_givesBirthDateAndSex() throws {
        let m = try XCTUnwrap(record(post()))
        XCTAssertEqual(m.record.id, Identity(kind: .personnummer, value: "191212121212"))
        XCTAssertEqual(m.record.birthDate, CivilDate(year: 1912, month: 12, day: 12))
        XCTAssertEqual(m.record.sex, .male)
        XCTAssertEqual(m.record.protection, .none)
        XCTAssertEqual(m.record.status, PersonStatus())
        XCTAssertNil(m.record.region)
        XCTAssertTrue(m.isWhole)
        let coordination =
            "<Arendeuppgift totalpost=\"J\"/><Personpost><PersonId><TilldelatPersonNrSamordningsNr>190101612349"
            + "</TilldelatPersonNrSamordningsNr></PersonId><Namn><Efternamn>Ek</Efternamn></Namn></Personpost>"
        let c = try XCTUnwrap(record(coordination))
        XCTAssertEqual(c.record.id.kind, .samordningsnummer)
        XCTAssertEqual(c.record.birthDate, CivilDate(year: 1901, month: 1, day: 1))
        XCTAssertEqual(c.record.sex, .female)
    }

    func test_invalidIdentities_rejectThePost_withoutTheNumber() throws {
        let checkDigit = try XCTUnwrap(rejection(post("191212121213")))
        XCTAssertTrue(checkDigit.hasPrefix("invalid identity: PersonNr"), checkDigit)
        XCTAssertFalse(checkDigit.contains { $0.isNumber }, checkDigit)
        XCTAssertNotNil(rejection(post("19121212121")))
        XCTAssertNotNil(rejection(post("191213321212")))
        XCTAssertNotNil(rejection(post("20991212121x")))
        XCTAssertEqual(rejection(post("190101612349")), "invalid identity: PersonNr holds another kind of number")
        XCTAssertEqual(
            rejection("<Personpost><Namn><Efternamn>Ek</Efternamn></Namn></Personpost>"),
            "missing identity: PersonId has no PersonNr or TilldelatPersonNrSamordningsNr")
        XCTAssertNotNil(rejection(post(person: "<HanvisningsPersonNr>197001011234</HanvisningsPersonNr>")))
    }

    func test_protection_skyddadWinsOverSekretess() {
        XCTAssertEqual(
            record(post(before: "<Sekretessmarkering>J</Sekretessmarkering>"))?.record.protection, .sekretess)
        XCTAssertEqual(
            record(
                post(before: "<Sekretessmarkering>J</Sekretessmarkering><SkyddadFolkbokforing>J</SkyddadFolkbokforing>")
            )?
            .record.protection, .skyddad)
        XCTAssertEqual(
            record(
                post(before: "<Sekretessmarkering>N</Sekretessmarkering><SkyddadFolkbokforing>J</SkyddadFolkbokforing>")
            )?
            .record.protection, .skyddad)
        XCTAssertEqual(
            record(post(before: "<Sekretessmarkering>N</Sekretessmarkering>"))?.record.protection, Protection.none)
        XCTAssertEqual(
            record(post(before: "<Sekretessmarkering>N</Sekretessmarkering>"))?.parts.contains(.protection), true)
        XCTAssertEqual(record(post())?.parts.contains(.protection), false)
        XCTAssertEqual(
            rejection(post(before: "<Sekretessmarkering>X</Sekretessmarkering>")),
            "invalid code: Sekretessmarkering is not one Navet defines")
    }

    func test_surname_isRequiredInAWholeRecordOnly() {
        XCTAssertEqual(rejection(post(surname: nil)), "missing surname: a whole record needs Namn/Efternamn")
        let change = record(post(surname: nil, totalpost: "N"))
        XCTAssertEqual(change?.isWhole, false)
        XCTAssertEqual(change?.parts, [.name])
        XCTAssertEqual(rejection(post(totalpost: "X")), "invalid code: Arendeuppgift/@totalpost is neither J nor N")
    }

    func test_countyAndMunicipality() {
        let m = record(post(person: "<Folkbokforing><LanKod>01</LanKod><KommunKod>80</KommunKod></Folkbokforing>"))
        XCTAssertEqual(m?.record.county, "01")
        XCTAssertEqual(m?.record.municipality, "0180")
        XCTAssertEqual(
            record(post(person: "<Folkbokforing><LanKod>12</LanKod><KommunKod>1280</KommunKod></Folkbokforing>"))?
                .record.municipality, "1280")
        XCTAssertNotNil(rejection(post(person: "<Folkbokforing><LanKod>1</LanKod></Folkbokforing>")))
        XCTAssertNotNil(
            rejection(post(person: "<Folkbokforing><LanKod>12</LanKod><KommunKod>0180</KommunKod></Folkbokforing>")))
    }

    func test_addresses() {
        let addresses = """
            <Adresser><Folkbokforingsadress><CareOf>c/o Ek</CareOf><Utdelningsadress1>Lgh 1</Utdelningsadress1>
            <Utdelningsadress2>Storgatan 1</Utdelningsadress2><PostNr>111 22</PostNr><Postort>STOCKHOLM</Postort></Folkbokforingsadress>
            <SarskildPostadress><Utdelningsadress1>Box 7</Utdelningsadress1><PostNr>22233</PostNr><Postort>LUND</Postort></SarskildPostadress>
            <Utlandsadress><Utdelningsadress1>Rue 1</Utdelningsadress1><Utdelningsadress3>Paris</Utdelningsadress3><Land>FRANKRIKE</Land></Utlandsadress>
            </Adresser>
            """
        let r = record(post(person: addresses))?.record
        XCTAssertEqual(
            r?.address, PostalAddress(careOf: "c/o Ek", street: "Storgatan 1", postalCode: "11122", city: "STOCKHOLM"))
        XCTAssertEqual(r?.specialAddress, PostalAddress(street: "Box 7", postalCode: "22233", city: "LUND"))
        XCTAssertEqual(r?.foreignAddress, ForeignAddress(lines: ["Rue 1", "Paris"], country: "FRANKRIKE"))
        XCTAssertNotNil(
            rejection(
                post(person: "<Adresser><Folkbokforingsadress><PostNr>1112</PostNr></Folkbokforingsadress></Adresser>"))
        )
    }

    func test_deregistration_AVIsDeceasedOtherCodesDeregistered() {
        func dereg(_ code: String, _ date: String) -> String {
            post(
                person:
                    "<Avregistrering><AvregistreringsorsakKod>\(code)</AvregistreringsorsakKod><Avregistreringsdatum>\(date)"
                    + "</Avregistreringsdatum></Avregistrering>")
        }
        let av = record(dereg("AV", "20250314"))
        XCTAssertEqual(
            av?.record.status,
            PersonStatus(state: .deceased, date: RegisterDate(year: 2025, month: 3, day: 14), reason: nil))
        XCTAssertEqual(av?.statusDate?.iso, "2025-03-14")
        for code in ["UV", "GN", "AN", "AS", "GS", "OB", "TA"] {
            XCTAssertEqual(
                record(dereg(code, "20200101"))?.record.status,
                PersonStatus(
                    state: .deregistered, date: RegisterDate(year: 2020, month: 1, day: 1),
                    reason: DeregistrationReason(rawValue: code)))
        }
        XCTAssertEqual(
            rejection(dereg("XX", "20200101")), "invalid code: AvregistreringsorsakKod is not one Navet defines")
    }

    func test_incompleteDates_keepWhatIsKnown_andImpossibleDatesReject() {
        func dereg(_ date: String) -> String {
            post(
                person:
                    "<Avregistrering><AvregistreringsorsakKod>AV</AvregistreringsorsakKod><Avregistreringsdatum>\(date)"
                    + "</Avregistreringsdatum></Avregistrering>")
        }
        let month = record(dereg("20250300"))
        XCTAssertEqual(month?.statusDate?.iso, "2025-03")
        XCTAssertEqual(month?.record.status.state, .deceased)
        XCTAssertEqual(
            month?.record.status.date, RegisterDate(year: 2025, month: 3, day: 0), "the record keeps what is known")
        XCTAssertEqual(record(dereg("20250000"))?.statusDate?.iso, "2025")
        XCTAssertEqual(rejection(dereg("20250230")), "impossible date: Avregistreringsdatum is not a date YYYYMMDD")
        XCTAssertNotNil(rejection(dereg("20250015")))
        XCTAssertNotNil(rejection(dereg("20251301")))
        XCTAssertNotNil(rejection(dereg("00000101")))
        XCTAssertNotNil(rejection(dereg("2025-03-01")))
        XCTAssertEqual(NavetDate(navet: "20240229")?.iso, "2024-02-29")
        XCTAssertNil(NavetDate(navet: "20230229"))
        XCTAssertNotNil(
            rejection(post(person: "<Invandring><Invandringsdatum>19991340</Invandringsdatum></Invandring>")))
    }

    func test_profile4Parts_areParsedButNotInTheRecord() throws {
        let parts = """
            <HanvisningsPersonNr>197001011233</HanvisningsPersonNr>
            <Civilstand><CivilstandKod>Ä</CivilstandKod><Civilstandsdatum>20010600</Civilstandsdatum></Civilstand>
            <Fodelse><OrtUtlandet><FodelseortUtland>Oslo</FodelseortUtland><Fodelseland>NORGE</Fodelseland></OrtUtlandet></Fodelse>
            <Invandring><Invandringsdatum>19990000</Invandringsdatum></Invandring>
            <Relationer><Relation><RelationId><PersonNr>201501011231</PersonNr></RelationId><Relationstyp>VF</Relationstyp>
            <RelationFromdatum>20150101</RelationFromdatum></Relation>
            <Relation><RelationId><FodelsetidNr>195511111113</FodelsetidNr></RelationId><Relationstyp>FA</Relationstyp></Relation></Relationer>
            <Medborgarskap><MedborgarskapslandKod>SE</MedborgarskapslandKod></Medborgarskap>
            <Medborgarskap><MedborgarskapslandKod>NO</MedborgarskapslandKod><Medborgarskapsdatum>19990101</Medborgarskapsdatum></Medborgarskap>
            """
        let m = try XCTUnwrap(record(post(person: parts)))
        let p = m.profile4
        XCTAssertEqual(p.referredTo, Identity(kind: .personnummer, value: "197001011233"))
        XCTAssertEqual(
            p.civilStatus, NavetProfile4.CivilStatus(code: "Ä", date: NavetDate(year: 2001, month: 6, day: 0)))
        XCTAssertEqual(p.birthPlace, .abroad(place: "Oslo", country: "NORGE"))
        XCTAssertEqual(p.immigrationDate?.iso, "1999")
        XCTAssertEqual(
            p.relations,
            [
                NavetProfile4.Relation(
                    id: .identity(Identity(kind: .personnummer, value: "201501011231")), type: .custodianOf,
                    from: NavetDate(year: 2015, month: 1, day: 1), to: nil),
                NavetProfile4.Relation(id: .birthTime("195511111113"), type: .father, from: nil, to: nil),
            ])
        XCTAssertEqual(
            p.citizenships,
            [
                NavetProfile4.Citizenship(country: "SE", date: nil),
                NavetProfile4.Citizenship(country: "NO", date: NavetDate(year: 1999, month: 1, day: 1)),
            ])
        XCTAssertEqual(m.parts, [.name, .referredTo, .civilStatus, .birth, .immigration, .relations, .citizenships])
        XCTAssertEqual(
            rejection(post(person: "<Civilstand><CivilstandKod>X</CivilstandKod></Civilstand>")),
            "invalid code: CivilstandKod is not one Navet defines")
        XCTAssertNotNil(
            rejection(
                post(
                    person: "<Relationer><Relation><RelationId><PersonNr>201501011231</PersonNr></RelationId>"
                        + "<Relationstyp>Q</Relationstyp></Relation></Relationer>")))
        XCTAssertEqual(
            record(post(person: "<Fodelse><HemortSverige><FodelselanKod>01</FodelselanKod></HemortSverige></Fodelse>"))?
                .profile4.birthPlace, .sweden(county: "01", parish: nil))
    }

    func test_changePost_listsOnlyTheCarriedParts() throws {
        let change = post(surname: "Nytt", person: "<Adresser></Adresser>", totalpost: "N")
        let m = try XCTUnwrap(record(change))
        XCTAssertFalse(m.isWhole)
        XCTAssertEqual(m.parts, [.name, .addresses])
        XCTAssertNil(m.record.address)
    }
}
