/// Common Swedish given names by sex, as found in the population register.
///
/// Guarantees: at least 60 names per sex, each a single word (no spaces), many with å/ä/ö.
package enum GivenNames {
    package static let female: [String] = [
        "Anna", "Eva", "Maria", "Karin", "Kristina", "Lena", "Sara", "Emma", "Kerstin", "Ingrid",
        "Marie", "Malin", "Jenny", "Birgitta", "Inger", "Annika", "Linda", "Hanna", "Susanne", "Elin",
        "Monica", "Ulla", "Johanna", "Elisabeth", "Sofia", "Carina", "Helena", "Camilla", "Åsa", "Ida",
        "Julia", "Ebba", "Wilma", "Alice", "Maja", "Elsa", "Astrid", "Saga", "Alva", "Agnes",
        "Lova", "Freja", "Klara", "Signe", "Märta", "Sigrid", "Ingegärd", "Gunnel", "Britt", "Margareta",
        "Solveig", "Görel", "Ylva", "Linnéa", "Frida", "Matilda", "Tove", "Stina", "Ulrika", "Therése",
        "Åse", "Gun", "Siv", "Majken", "Ester", "Tyra", "Vera", "Elvira", "Selma", "Inez",
        "Barbro", "Agneta", "Gunilla", "Lisa", "Moa", "Nellie", "Ellen", "Hedvig", "Ronja", "Sanna",
    ]

    package static let male: [String] = [
        "Lars", "Anders", "Johan", "Karl", "Per", "Erik", "Mikael", "Peter", "Jan", "Hans",
        "Thomas", "Daniel", "Fredrik", "Stefan", "Bengt", "Sven", "Nils", "Björn", "Magnus", "Mats",
        "Mattias", "Andreas", "Jonas", "Oskar", "Gustav", "Axel", "Olof", "Håkan", "Göran", "Åke",
        "Örjan", "Jörgen", "Ulf", "Bo", "Leif", "Kjell", "Rolf", "Stig", "Tore", "Gösta",
        "Ove", "Lennart", "Kent", "Roger", "Jesper", "Viktor", "Filip", "Emil", "Anton", "Hugo",
        "Liam", "William", "Noah", "Elias", "Lucas", "Adam", "Alexander", "Oliver", "Ludvig", "Vincent",
        "Måns", "Sölve", "Gunnar", "Ragnar", "Torbjörn", "Arvid", "Albin", "Melvin", "Love", "Sixten",
        "Harald", "Henrik", "Kristoffer", "Joakim", "Niklas", "Patrik", "Rasmus", "Tobias", "Ivar", "Algot",
    ]
}
