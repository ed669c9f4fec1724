/// Realistic Swedish street names (gator, vägar, gränder, backar).
///
/// Guarantees: at least 80 distinct names, each without a house number.
package enum StreetNames {
    package static let all: [String] = [
        "Storgatan", "Drottninggatan", "Kungsgatan", "Ringvägen", "Skolgatan", "Järnvägsgatan", "Kyrkogatan",
        "Parkvägen", "Trädgårdsgatan", "Nygatan", "Östra Långgatan", "Västra Vägen", "Södra Vägen", "Norra Vägen",
        "Strandvägen", "Sveavägen", "Götgatan", "Hornsgatan", "Vasagatan", "Fleminggatan", "Odengatan",
        "Birger Jarlsgatan", "Karlavägen", "Valhallavägen", "Sankt Eriksgatan", "Folkungagatan", "Åsögatan",
        "Bondegatan", "Tegnérgatan", "Linnégatan", "Avenyn", "Järntorgsgatan", "Första Långgatan",
        "Mölndalsvägen", "Övre Husargatan", "Södra Förstadsgatan", "Amiralsgatan", "Regementsgatan",
        "Lilla Torg", "Stora Nygatan", "Klostergatan", "Bangatan", "Industrivägen", "Fabriksgatan",
        "Björkvägen", "Tallvägen", "Granvägen", "Ekvägen", "Lönnvägen", "Aspvägen", "Almvägen",
        "Lindvägen", "Rönnvägen", "Hasselvägen", "Syrénvägen", "Liljevägen", "Rosenvägen", "Vitsippsvägen",
        "Blåklockevägen", "Prästgårdsvägen", "Kvarngatan", "Hamngatan", "Sjögatan", "Bryggaregatan",
        "Smedjegatan", "Torggatan", "Slottsgatan", "Borgmästaregatan", "Rådhusgatan", "Stationsvägen",
        "Skogsvägen", "Ängsvägen", "Bäckvägen", "Backavägen", "Åkervägen", "Hagagatan", "Solvägen",
        "Månvägen", "Idrottsvägen", "Skolvägen", "Kyrkvägen", "Gamla Landsvägen", "Allégatan",
        "Brunnsgatan", "Köpmangatan", "Prästgatan", "Österlånggatan", "Västerlånggatan", "Tullgatan",
        "Fiskaregatan", "Mästersmedsgatan", "Klockarvägen", "Hantverkargatan", "Bergsgatan", "Älvgatan",
    ]

    /// The highest house number used.
    static let maxNumber = 150

    /// "<name> <n>" for every name and n in 1...maxNumber, at index name × maxNumber + n − 1.
    static let numbered: [String] = all.flatMap { name in (1...maxNumber).map { Text.spaced(name, $0) } }
}
