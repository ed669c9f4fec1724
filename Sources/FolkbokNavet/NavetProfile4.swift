import FolkbokModel

/// The profile-P4 parts of a post (docs/PROTOCOL.md "Profiles P4 and P5") are the record's
/// `PersonDetails`. The mapping guarantees every code is one Navet defines (civil status OG, G,
/// Ä, S, RP, SP, EP; relation types B, MO, FA, F, V, VF, M, P), every identity passed
/// `IdentityParser` and every date is a possible (perhaps incomplete) one. Empty/nil means the
/// post did not say.
public typealias NavetProfile4 = PersonDetails

extension PersonDetails {
    /// Navet's civil status codes.
    public static let civilStatusCodes: Set<String> = ["OG", "G", "Ä", "S", "RP", "SP", "EP"]
}
