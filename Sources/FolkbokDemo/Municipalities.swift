/// One municipality (kommun) as the generators use it.
///
/// Guarantees: `code` is the real 4-digit kommunkod, whose first two digits are the real
/// länskod of its county; `city` is an uppercase post town in that municipality;
/// `postalPrefixes` are 3-digit prefixes of real postal codes there; `population` is a rough
/// weight in thousands of inhabitants; `postalCodes` holds every "NNNNN" code under those
/// prefixes (precomputed so the generators need not format them).
struct Municipality: Sendable {
    let code: String
    let city: String
    let population: Int
    let postalPrefixes: [Int]
    /// The county (länskod): the first two digits of the kommunkod.
    let county: String
    let postalCodes: [String]

    init(_ code: String, _ city: String, _ population: Int, _ postalPrefixes: [Int]) {
        self.code = code
        self.city = city
        self.population = population
        self.postalPrefixes = postalPrefixes
        county = String(code.prefix(2))
        postalCodes = postalPrefixes.flatMap { prefix in (0..<100).map { Text.digits(prefix * 100 + $0, width: 5) } }
    }
}

/// The municipalities the generators place people in: 2–17 per county for all 21 counties
/// (Gotland has only one), weighted roughly by population.
enum Municipalities {
    static let all: [Municipality] = [
        Municipality("0180", "STOCKHOLM", 985, [111, 112, 113, 114, 115, 116, 117, 118, 120, 121, 122, 124, 126, 129]),
        Municipality("0182", "NACKA", 110, [131, 132]),
        Municipality("0184", "SOLNA", 85, [169, 171]),
        Municipality("0126", "HUDDINGE", 113, [141]),
        Municipality("0127", "TUMBA", 95, [147]),
        Municipality("0181", "SÖDERTÄLJE", 100, [151, 152]),
        Municipality("0186", "LIDINGÖ", 48, [181]),
        Municipality("0160", "TÄBY", 73, [183, 187]),
        Municipality("0163", "SOLLENTUNA", 75, [191, 192]),
        Municipality("0191", "MÄRSTA", 50, [195]),
        Municipality("0123", "JÄRFÄLLA", 85, [175, 177]),
        Municipality("0138", "TYRESÖ", 48, [135]),
        Municipality("0331", "KNIVSTA", 20, [741]),
        Municipality("0360", "TIERP", 21, [815]),
        Municipality("0380", "UPPSALA", 240, [752, 753, 754, 756, 757]),
        Municipality("0381", "ENKÖPING", 46, [745]),
        Municipality("0382", "ÖSTHAMMAR", 22, [742]),
        Municipality("0480", "NYKÖPING", 57, [611]),
        Municipality("0483", "KATRINEHOLM", 34, [641]),
        Municipality("0484", "ESKILSTUNA", 107, [632, 633, 635]),
        Municipality("0486", "STRÄNGNÄS", 37, [645]),
        Municipality("0488", "TROSA", 13, [619]),
        Municipality("0580", "LINKÖPING", 166, [582, 583, 584, 585, 587]),
        Municipality("0581", "NORRKÖPING", 145, [602, 603, 604, 605]),
        Municipality("0583", "MOTALA", 43, [591]),
        Municipality("0586", "MJÖLBY", 28, [595]),
        Municipality("0582", "SÖDERKÖPING", 14, [614]),
        Municipality("0584", "VADSTENA", 7, [592]),
        Municipality("0680", "JÖNKÖPING", 143, [553, 554, 555, 556, 561]),
        Municipality("0683", "VÄRNAMO", 34, [331]),
        Municipality("0685", "VETLANDA", 27, [574]),
        Municipality("0686", "EKSJÖ", 17, [575]),
        Municipality("0687", "TRANÅS", 19, [573]),
        Municipality("0662", "GISLAVED", 29, [332]),
        Municipality("0780", "VÄXJÖ", 95, [352, 355]),
        Municipality("0781", "LJUNGBY", 28, [341]),
        Municipality("0765", "ÄLMHULT", 18, [343]),
        Municipality("0767", "MARKARYD", 10, [285]),
        Municipality("0880", "KALMAR", 71, [391, 392, 393]),
        Municipality("0883", "VÄSTERVIK", 36, [593]),
        Municipality("0882", "OSKARSHAMN", 27, [572]),
        Municipality("0881", "NYBRO", 20, [382]),
        Municipality("0884", "VIMMERBY", 15, [598]),
        Municipality("0885", "BORGHOLM", 11, [387]),
        Municipality("0980", "VISBY", 61, [621, 622]),
        Municipality("1080", "KARLSKRONA", 66, [371]),
        Municipality("1081", "RONNEBY", 29, [372]),
        Municipality("1082", "KARLSHAMN", 32, [374]),
        Municipality("1083", "SÖLVESBORG", 17, [294]),
        Municipality("1060", "OLOFSTRÖM", 13, [293]),
        Municipality("1280", "MALMÖ", 360, [211, 212, 213, 214, 215, 216, 217, 218]),
        Municipality("1281", "LUND", 128, [222, 223, 224, 226, 227]),
        Municipality("1283", "HELSINGBORG", 150, [252, 253, 254, 256]),
        Municipality("1282", "LANDSKRONA", 46, [261]),
        Municipality("1290", "KRISTIANSTAD", 86, [291]),
        Municipality("1287", "TRELLEBORG", 47, [231]),
        Municipality("1286", "YSTAD", 31, [271]),
        Municipality("1292", "ÄNGELHOLM", 43, [262]),
        Municipality("1293", "HÄSSLEHOLM", 53, [281]),
        Municipality("1284", "HÖGANÄS", 27, [263]),
        Municipality("1285", "ESLÖV", 34, [241]),
        Municipality("1380", "HALMSTAD", 104, [302, 303]),
        Municipality("1384", "KUNGSBACKA", 85, [434]),
        Municipality("1383", "VARBERG", 66, [432]),
        Municipality("1382", "FALKENBERG", 46, [311]),
        Municipality("1381", "LAHOLM", 26, [312]),
        Municipality("1315", "HYLTEBRUK", 11, [314]),
        Municipality("1480", "GÖTEBORG", 590, [411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 424]),
        Municipality("1490", "BORÅS", 114, [503, 504, 506, 507]),
        Municipality("1481", "MÖLNDAL", 70, [431]),
        Municipality("1488", "TROLLHÄTTAN", 59, [461]),
        Municipality("1496", "SKÖVDE", 57, [541]),
        Municipality("1485", "UDDEVALLA", 57, [451]),
        Municipality("1482", "KUNGÄLV", 48, [442]),
        Municipality("1441", "LERUM", 43, [443]),
        Municipality("1489", "ALINGSÅS", 42, [441]),
        Municipality("1494", "LIDKÖPING", 40, [531]),
        Municipality("1487", "VÄNERSBORG", 40, [462]),
        Municipality("1499", "FALKÖPING", 33, [521]),
        Municipality("1440", "NÖDINGE", 32, [449]),
        Municipality("1415", "STENUNGSUND", 27, [444]),
        Municipality("1493", "MARIESTAD", 24, [542]),
        Municipality("1484", "LYSEKIL", 14, [453]),
        Municipality("1486", "STRÖMSTAD", 13, [452]),
        Municipality("1780", "KARLSTAD", 95, [652, 653, 654, 656]),
        Municipality("1784", "ARVIKA", 26, [671]),
        Municipality("1781", "KRISTINEHAMN", 24, [681]),
        Municipality("1785", "SÄFFLE", 15, [661]),
        Municipality("1715", "KIL", 12, [665]),
        Municipality("1783", "HAGFORS", 11, [683]),
        Municipality("1880", "ÖREBRO", 158, [702, 703, 704, 705]),
        Municipality("1883", "KARLSKOGA", 30, [691]),
        Municipality("1885", "LINDESBERG", 23, [711]),
        Municipality("1881", "KUMLA", 22, [692]),
        Municipality("1882", "ASKERSUND", 11, [696]),
        Municipality("1884", "NORA", 10, [713]),
        Municipality("1980", "VÄSTERÅS", 158, [721, 722, 723, 724, 725]),
        Municipality("1983", "KÖPING", 26, [731]),
        Municipality("1981", "SALA", 23, [733]),
        Municipality("1984", "ARBOGA", 14, [732]),
        Municipality("1982", "FAGERSTA", 13, [737]),
        Municipality("2080", "FALUN", 60, [791]),
        Municipality("2081", "BORLÄNGE", 52, [781, 784]),
        Municipality("2085", "LUDVIKA", 26, [771]),
        Municipality("2084", "AVESTA", 23, [774]),
        Municipality("2062", "MORA", 20, [792]),
        Municipality("2031", "RÄTTVIK", 11, [795]),
        Municipality("2023", "MALUNG", 10, [782]),
        Municipality("2180", "GÄVLE", 103, [802, 803, 804, 806]),
        Municipality("2181", "SANDVIKEN", 39, [811]),
        Municipality("2184", "HUDIKSVALL", 37, [824]),
        Municipality("2183", "BOLLNÄS", 26, [821]),
        Municipality("2182", "SÖDERHAMN", 25, [826]),
        Municipality("2161", "LJUSDAL", 19, [827]),
        Municipality("2281", "SUNDSVALL", 99, [852, 853, 854, 856]),
        Municipality("2284", "ÖRNSKÖLDSVIK", 56, [891]),
        Municipality("2280", "HÄRNÖSAND", 25, [871]),
        Municipality("2283", "SOLLEFTEÅ", 19, [881]),
        Municipality("2262", "TIMRÅ", 18, [861]),
        Municipality("2282", "KRAMFORS", 18, [872]),
        Municipality("2380", "ÖSTERSUND", 64, [831]),
        Municipality("2309", "KROKOM", 15, [835]),
        Municipality("2321", "ÅRE", 12, [837]),
        Municipality("2313", "STRÖMSUND", 11, [833]),
        Municipality("2361", "SVEG", 10, [842]),
        Municipality("2480", "UMEÅ", 130, [903, 904, 905, 906, 907]),
        Municipality("2482", "SKELLEFTEÅ", 74, [931, 934]),
        Municipality("2481", "LYCKSELE", 12, [921]),
        Municipality("2460", "VÄNNÄS", 9, [911]),
        Municipality("2462", "VILHELMINA", 7, [912]),
        Municipality("2580", "LULEÅ", 79, [972, 973, 974, 975]),
        Municipality("2581", "PITEÅ", 42, [941, 943]),
        Municipality("2582", "BODEN", 28, [961]),
        Municipality("2584", "KIRUNA", 23, [981]),
        Municipality("2523", "GÄLLIVARE", 18, [982]),
        Municipality("2514", "KALIX", 16, [952]),
        Municipality("2583", "HAPARANDA", 10, [953]),
    ]

    /// The 21 real länskoder.
    static let countyCodes = [
        "01", "03", "04", "05", "06", "07", "08", "09", "10", "12", "13",
        "14", "17", "18", "19", "20", "21", "22", "23", "24", "25",
    ]
}
