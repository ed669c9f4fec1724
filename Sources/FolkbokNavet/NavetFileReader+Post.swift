/// One `Folkbokforingspost` and its `Personpost` parts, by the element names of NAVET.md.
extension NavetFileReader {
    mutating func readPost(index: Int) throws(NavetFileError) -> NavetPost {
        var post = NavetPost(index: index)
        while try child() {
            if named("Personpost") {
                try readPerson(into: &post)
            } else if named("Sekretessmarkering") {
                post.secrecyMarking = try leaf()
            } else if named("SkyddadFolkbokforing") {
                post.protectedRegistration = try leaf()
            } else if named("Arendeuppgift") {
                post.totalpost = NavetFileReader.trimmed(xml.attribute("totalpost")?.string)
                post.changedAt = NavetFileReader.trimmed(xml.attribute("andringstidpunkt")?.string)
                try skip()
            } else {
                try skip()
            }
        }
        return post
    }

    private mutating func readPerson(into post: inout NavetPost) throws(NavetFileError) {
        while try child() {
            if named("PersonId") {
                while try child() {
                    if named("PersonNr") {
                        post.personNumber = try leaf()
                    } else if named("TilldelatPersonNrSamordningsNr") {
                        post.coordinationNumber = try leaf()
                    } else {
                        try skip()
                    }
                }
            } else if named("Namn") {
                post.name = try readName()
            } else if named("Folkbokforing") {
                post.registration = try readRegistration()
            } else if named("Adresser") {
                post.addresses = try readAddresses()
            } else if named("Avregistrering") {
                var d = NavetPost.Deregistration()
                while try child() {
                    if named("AvregistreringsorsakKod") {
                        d.code = try leaf()
                    } else if named("Avregistreringsdatum") {
                        d.date = try leaf()
                    } else {
                        try skip()
                    }
                }
                post.deregistration = d
            } else if named("HanvisningsPersonNr") {
                post.referredTo = try leaf()
            } else if named("Civilstand") {
                var c = NavetPost.CivilStatus()
                while try child() {
                    if named("CivilstandKod") {
                        c.code = try leaf()
                    } else if named("Civilstandsdatum") {
                        c.date = try leaf()
                    } else {
                        try skip()
                    }
                }
                post.civilStatus = c
            } else if named("Fodelse") {
                post.birth = try readBirth()
            } else if named("Invandring") {
                var i = NavetPost.Immigration()
                while try child() {
                    if named("Invandringsdatum") { i.date = try leaf() } else { try skip() }
                }
                post.immigration = i
            } else if named("Relationer") {
                var relations: [NavetPost.Relation] = []
                while try child() {
                    if named("Relation") { relations.append(try readRelation()) } else { try skip() }
                }
                post.relations = relations
            } else if named("Medborgarskap") {
                var c = NavetPost.Citizenship()
                while try child() {
                    if named("MedborgarskapslandKod") {
                        c.country = try leaf()
                    } else if named("Medborgarskapsdatum") {
                        c.date = try leaf()
                    } else {
                        try skip()
                    }
                }
                post.citizenships.append(c)
            } else {
                try skip()
            }
        }
    }

    private mutating func readName() throws(NavetFileError) -> NavetPost.Name {
        var n = NavetPost.Name()
        while try child() {
            if named("Fornamn") {
                n.given = try leaf()
            } else if named("Efternamn") {
                n.surname = try leaf()
            } else if named("Tilltalsnamnsmarkering") {
                n.callNameMarking = try leaf()
            } else if named("Mellannamn") {
                n.middle = try leaf()
            } else if named("Aviseringsnamn") {
                n.notificationName = try leaf()
            } else {
                try skip()
            }
        }
        return n
    }

    private mutating func readRegistration() throws(NavetFileError) -> NavetPost.Registration {
        var r = NavetPost.Registration()
        while try child() {
            if named("LanKod") {
                r.county = try leaf()
            } else if named("KommunKod") {
                r.municipality = try leaf()
            } else if named("Folkbokforingsdatum") {
                r.date = try leaf()
            } else if named("ForsamlingKod") {
                r.parish = try leaf()
            } else if named("Fastighetsbeteckning") {
                r.property = try leaf()
            } else if named("FiktivtNr") {
                r.fictitiousNumber = try leaf()
            } else if named("Folkbokforingstyp") {
                r.kind = try leaf()
            } else {
                try skip()
            }
        }
        return r
    }

    private mutating func readAddresses() throws(NavetFileError) -> NavetPost.Addresses {
        var a = NavetPost.Addresses()
        while try child() {
            if named("Folkbokforingsadress") {
                a.registered = try readPostalAddress()
            } else if named("SarskildPostadress") {
                a.special = try readPostalAddress()
            } else if named("Utlandsadress") {
                var f = NavetPost.ForeignAddress()
                while try child() {
                    if named("Utdelningsadress1") {
                        f.line1 = try leaf()
                    } else if named("Utdelningsadress2") {
                        f.line2 = try leaf()
                    } else if named("Utdelningsadress3") {
                        f.line3 = try leaf()
                    } else if named("Land") {
                        f.country = try leaf()
                    } else if named("Utlandsadressdatum") {
                        f.date = try leaf()
                    } else {
                        try skip()
                    }
                }
                a.foreign = f
            } else {
                try skip()
            }
        }
        return a
    }

    private mutating func readPostalAddress() throws(NavetFileError) -> NavetPost.PostalAddress {
        var p = NavetPost.PostalAddress()
        while try child() {
            if named("Utdelningsadress2") {
                p.line2 = try leaf()
            } else if named("PostNr") {
                p.postalCode = try leaf()
            } else if named("Postort") {
                p.city = try leaf()
            } else if named("CareOf") {
                p.careOf = try leaf()
            } else if named("Utdelningsadress1") {
                p.line1 = try leaf()
            } else {
                try skip()
            }
        }
        return p
    }

    private mutating func readBirth() throws(NavetFileError) -> NavetPost.Birth {
        var b = NavetPost.Birth()
        while try child() {
            if named("HemortSverige") {
                while try child() {
                    if named("FodelselanKod") {
                        b.homeCounty = try leaf()
                    } else if named("Fodelseforsamling") {
                        b.homeParish = try leaf()
                    } else {
                        try skip()
                    }
                }
            } else if named("OrtUtlandet") {
                while try child() {
                    if named("FodelseortUtland") {
                        b.placeAbroad = try leaf()
                    } else if named("Fodelseland") {
                        b.countryAbroad = try leaf()
                    } else {
                        try skip()
                    }
                }
            } else {
                try skip()
            }
        }
        return b
    }

    private mutating func readRelation() throws(NavetFileError) -> NavetPost.Relation {
        var r = NavetPost.Relation()
        while try child() {
            if named("RelationId") {
                while try child() {
                    if named("PersonNr") || named("TilldelatPersonNrSamordningsNr") {
                        r.personNumber = try leaf()
                    } else if named("FodelsetidNr") {
                        r.birthTimeNumber = try leaf()
                    } else {
                        try skip()
                    }
                }
            } else if named("Relationstyp") {
                r.type = try leaf()
            } else if named("RelationFromdatum") {
                r.from = try leaf()
            } else if named("RelationTomdatum") {
                r.to = try leaf()
            } else {
                try skip()
            }
        }
        return r
    }
}
