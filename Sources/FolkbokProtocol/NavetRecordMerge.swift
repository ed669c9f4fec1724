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
        applyProfile4(mapped, to: &record, replacing: mapped.isWhole ? .all : mapped.parts)
        return record
    }

    /// THE ONE PLACE where a post's P4 parts and its incomplete deregistration date go into the
    /// record. `PersonRecord` has no fields for them yet (they come with the P4/P5 record model),
    /// so today this does nothing and the parts stop at `NavetMappedPost`.
    ///
    /// For the lead, once the fields exist: for each of `.referredTo`, `.civilStatus`,
    /// `.citizenships`, `.birth`, `.immigration`, `.relations` in `parts`, set the record's field
    /// from `mapped.profile4` (a whole post has `parts == .all`, so a part it lacks is cleared to
    /// nil/[]); and when `parts` contains `.deregistration`, set the record's status date from
    /// `mapped.statusDate` (which keeps `YYYY-MM` and `YYYY`; `record.status.date` has only
    /// complete dates).
    static func applyProfile4(_ mapped: NavetMappedPost, to record: inout PersonRecord, replacing parts: NavetParts) {
        _ = (mapped.profile4, mapped.statusDate, parts)
    }
}
