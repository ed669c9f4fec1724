/// A few foreign addresses for emigrated persons (utlandsadress).
///
/// Guarantees: each entry has an uppercase Swedish country name as Navet writes it
/// ("NORGE", "TYSKLAND", …), a street and a postal line in that country's usual order.
struct ForeignPlace: Sendable {
    let country: String
    let street: String
    let postalLine: String
    /// True where the house number comes before the street name (UK, US, France, Australia).
    let numberFirst: Bool

    static let all: [ForeignPlace] = [
        ForeignPlace(country: "NORGE", street: "Storgata", postalLine: "0155 OSLO", numberFirst: false),
        ForeignPlace(country: "DANMARK", street: "Vesterbrogade", postalLine: "1620 KØBENHAVN V", numberFirst: false),
        ForeignPlace(country: "FINLAND", street: "Mannerheimintie", postalLine: "00100 HELSINKI", numberFirst: false),
        ForeignPlace(country: "TYSKLAND", street: "Hauptstraße", postalLine: "10115 BERLIN", numberFirst: false),
        ForeignPlace(country: "SPANIEN", street: "Calle Mayor", postalLine: "28013 MADRID", numberFirst: false),
        ForeignPlace(
            country: "STORBRITANNIEN", street: "High Street", postalLine: "LONDON SW1A 1AA", numberFirst: true),
        ForeignPlace(country: "USA", street: "Main Street", postalLine: "NEW YORK NY 10001", numberFirst: true),
        ForeignPlace(country: "FRANKRIKE", street: "rue de Rivoli", postalLine: "75001 PARIS", numberFirst: true),
        ForeignPlace(country: "AUSTRALIEN", street: "George Street", postalLine: "SYDNEY NSW 2000", numberFirst: true),
        ForeignPlace(country: "PORTUGAL", street: "Rua Augusta", postalLine: "1100-048 LISBOA", numberFirst: false),
    ]
}
