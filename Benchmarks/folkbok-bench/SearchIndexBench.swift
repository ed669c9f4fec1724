import FolkbokIndex
import FolkbokModel
import Glibc

/// `folkbok-bench search-index [all|upsert|query] [--persons N] [--runs R]` (build with
/// -c release): figures for the search index at 1 M persons (one store), in process. Times
/// are thread CPU time. (It was a skipped test in FolkbokIndexTests.)
struct SearchIndexBench {
    /// `all`, `upsert` (bulk upserts only) or `query` (one load, then the queries).
    var mode = "all"
    var persons = 1_000_000
    var runs = 5

    /// Thread CPU seconds of `body` (less disturbed by other load on the machine than wall time).
    private func time(_ body: () -> Void) -> Double {
        func now() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
        let start = now()
        body()
        return now() - start
    }

    func run() {
        let n = persons
        let records = (0..<n).map { SearchPopulation.record($0) }
        let keys = records.map { IdentityKey($0.id)! }

        var store = PersonStore()
        var upserts: [Double] = []
        let repeats = runs
        for _ in 0..<(mode == "query" ? 1 : repeats) {
            store = PersonStore()
            upserts.append(time { for i in 0..<n { store.upsert(records[i], key: keys[i]) } })
        }
        if mode == "upsert" {
            print(
                String(
                    format: "bulk upsert %d: %@ s", n, upserts.map { String(format: "%.2f", $0) }.joined(separator: " ")
                ))
            return
        }
        let untrimmed = Double(store.searchFootprintBytes) / Double(n)
        let trim = time { store.trimAndRebuildSearchIndex() }
        print(String(format: "search index before trim (log, packed runs, segments): %.1f B/person", untrimmed))
        print(
            String(
                format: "bulk upsert %d: %.2f s median (%@), %.0f ns/upsert; trim (with search rebuild) %.0f ms",
                n, upserts.sorted()[upserts.count / 2],
                upserts.map { String(format: "%.2f", $0) }.joined(separator: " "),
                upserts.sorted()[upserts.count / 2] / Double(n) * 1e9, trim * 1000))
        if mode != "query" { measureMemoryAndRebuild(store, n: n) }
        measureQueries(store, records)
    }

    private func measureMemoryAndRebuild(_ store: PersonStore, n: Int) {
        let maintenance = time { store.replaySearchInserts() }
        print(
            String(
                format:
                    "search maintenance alone (the same inserts replayed into an empty index): %.0f ms, %.0f ns/upsert",
                maintenance * 1000, maintenance / Double(n) * 1e9))
        let total = store.footprintBytes, search = store.searchFootprintBytes
        print(
            String(
                format: "footprint %.1f B/person, of which search %.1f B/person", Double(total) / Double(n),
                Double(search) / Double(n)))
        for figure in store.searchFieldFigures {
            print(
                String(
                    format: "  %@: %.2f B/person, %d terms", figure.field, Double(figure.bytes) / Double(n),
                    figure.terms))
        }
        print(
            String(
                format: "  folded surnames/streets/given words: %.2f B/person",
                Double(store.foldedTermBytes) / Double(n)))

        var image: [UInt8] = []
        store.writeImage(into: &image)
        var loaded = PersonStore()
        let load = time { loaded = try! image.withUnsafeBytes { try PersonStore(image: $0) } }
        let rebuild = time { loaded.rebuildSearchIndexOnly() }
        print(
            String(
                format: "image load %.0f ms (search rebuild included); search rebuild alone %.0f ms", load * 1000,
                rebuild * 1000))
    }

    private func measureQueries(_ store: PersonStore, _ records: [PersonRecord]) {
        let stockholm = SearchPopulation.municipalities[0].code, mid = SearchPopulation.municipalities[2].code,
            small = SearchPopulation.municipalities[40].code
        let postal = records[12_345].address!.postalCode!
        let queries: [(String, SearchCriteria)] = [
            ("surname exact Lindqvist", SearchCriteria(surname: NamePattern("Lindqvist"))),
            ("surname exact Andersson (most common)", SearchCriteria(surname: NamePattern("Andersson"))),
            ("surname prefix And*", SearchCriteria(surname: NamePattern("And*"))),
            ("given Anna + birth year 1970", SearchCriteria(given: NamePattern("Anna"), birthDate: .year(1970))),
            ("birth day 1970-05-17", SearchCriteria(birthDate: .day(CivilDate(year: 1970, month: 5, day: 17)!))),
            ("municipality \(stockholm) alone", SearchCriteria(municipality: stockholm)),
            ("municipality \(mid) alone", SearchCriteria(municipality: mid)),
            ("municipality \(small) alone", SearchCriteria(municipality: small)),
            ("postalCode \(postal)", SearchCriteria(postalCode: postal)),
            ("street prefix Stor*", SearchCriteria(street: NamePattern("Stor*"))),
            (
                "street Storgatan 12 + municipality",
                SearchCriteria(municipality: stockholm, street: NamePattern("Storgatan 12"))
            ),
        ]
        for (name, c) in queries {
            var page: [IdentityKey] = []
            var runs: [Double] = []
            for _ in 0..<21 { runs.append(time { page = store.search(c, after: nil, limit: 100) }) }
            let next = time { _ = store.search(c, after: page.last, limit: 100) }
            let matches = records.lazy.filter { c.matches($0) }.count
            print(
                String(
                    format: "query %@: %.1f µs median, %.1f µs min, for 100 of %d matches (next page %.1f µs)", name,
                    runs.sorted()[10] * 1e6, runs.min()! * 1e6, matches, next * 1e6))
        }
    }
}
