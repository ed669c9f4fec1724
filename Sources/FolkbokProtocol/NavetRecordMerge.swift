import FolkbokModel
import FolkbokNavet

/// What a mapped Navet post makes of the stored record (docs/PROTOCOL.md "Navet notification
/// files", "Mapping": `totalpost` J a whole record, N a change of the parts it carries).
///
/// Guarantees: a whole post becomes the record as mapped, keeping only what folkbok itself holds
/// about the person (reserve links, contact details); a change post takes the stored record and
/// replaces each part in `parts` whole, leaving every other part as it was, and is nil (the
/// post is rejected `unknown_person`) when folkbok holds no record. Either way the record is in
/// the import's region.
enum NavetRecordMerge {
    static func record(_ mapped: NavetMappedPost, stored: PersonRecord?, region: String) -> PersonRecord? {
        var record: PersonRecord
        if mapped.isWhole {
            record = mapped.record
            if let stored {
                record.reserveLinks = stored.reserveLinks
                record.contact = stored.contact
            }
        } else {
            guard let stored else { return nil }
            record = stored
            let new = mapped.record, parts = mapped.parts
            if parts.contains(.protection) { record.protection = new.protection }
            if parts.contains(.name) { record.name = new.name }
            if parts.contains(.registration) {
                record.county = new.county
                record.municipality = new.municipality
            }
            if parts.contains(.addresses) {
                record.address = new.address
                record.specialAddress = new.specialAddress
                record.foreignAddress = new.foreignAddress
            }
            if parts.contains(.deregistration) { record.status = new.status }
        }
        record.region = region
        mergeDetails(mapped, into: &record)
        return record
    }

    /// A change post's P4 parts (docs/PROTOCOL.md "Profiles P4 and P5"): each part it carries
    /// replaces that part of the stored details whole. A whole post's record already carries
    /// the details as mapped (a part it lacks is unknown), and both carry the deregistration
    /// date as Navet gave it (`YYYY-MM`, `YYYY` kept) in `status`.
    static func mergeDetails(_ mapped: NavetMappedPost, into record: inout PersonRecord) {
        guard !mapped.isWhole else { return }
        let new = mapped.profile4, parts = mapped.parts
        var details = record.details ?? PersonDetails()
        if parts.contains(.referredTo) { details.referredTo = new.referredTo }
        if parts.contains(.civilStatus) { details.civilStatus = new.civilStatus }
        if parts.contains(.citizenships) { details.citizenships = new.citizenships }
        if parts.contains(.birth) { details.birthPlace = new.birthPlace }
        if parts.contains(.immigration) { details.immigrationDate = new.immigrationDate }
        if parts.contains(.relations) { details.relations = new.relations }
        record.details = details.isEmpty ? nil : details
    }
}
