/// Swedish surnames (and middle names, which are drawn from the same list).
///
/// Guarantees: at least 100 names, each a single word (hyphenated double names allowed),
/// including many -son names and names with å/ä/ö.
package enum Surnames {
    package static let all: [String] = [
        "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
        "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Jönsson",
        "Lindberg", "Jakobsson", "Magnusson", "Olofsson", "Lindström", "Lindqvist", "Lindgren", "Axelsson",
        "Berg", "Bergström", "Lundberg", "Lind", "Lundgren", "Lundqvist", "Mattsson", "Berglund",
        "Fredriksson", "Sandberg", "Henriksson", "Forsberg", "Sjöberg", "Wallin", "Engström", "Eklund",
        "Danielsson", "Lundin", "Håkansson", "Björk", "Bergman", "Gunnarsson", "Holm", "Wikström",
        "Samuelsson", "Isaksson", "Fransson", "Bergqvist", "Nyström", "Holmberg", "Arvidsson", "Löfgren",
        "Söderberg", "Nyberg", "Blomqvist", "Claesson", "Nordström", "Mårtensson", "Lundström", "Viklund",
        "Björklund", "Eliasson", "Pålsson", "Berggren", "Sandström", "Lund", "Nordin", "Ström",
        "Åberg", "Hermansson", "Ekström", "Holmgren", "Sundberg", "Hedlund", "Dahlberg", "Hellström",
        "Sjögren", "Abrahamsson", "Falk", "Martinsson", "Öberg", "Andreasson", "Strömberg", "Månsson",
        "Åkesson", "Hansen", "Ek", "Blom", "Nordqvist", "Söderström", "Åström", "Sundström",
        "Ågren", "Östlund", "Törnqvist", "Bäckström", "Grönlund", "Hägg", "Dahl", "Lindholm",
        "Ahmed", "Ali", "Mohammed", "Hassan", "Nguyen", "Kaya", "Nieminen", "Korhonen",
        "Stenberg-Åkerlund", "Essén", "Ljungqvist", "Wennerström", "Kjellberg", "Skoglund", "Rydén", "Älmqvist",
    ]
}
