import CFolkbokSys
import FolkbokDemo
import FolkbokEngine
import FolkbokModel
import FolkbokProtocol
import FolkbokStorage
import Foundation

/// Stores the embedded demo population into an empty data directory and snapshots it.
enum DemoLoader {
    static func store(into persistence: Persistence, today: CivilDate, dataDir: String, logger: Logger)
        throws(AppStartError)
    {
        let started = monotonicSeconds()
        let population = DemoPopulation.make(today: today)
        let mutations = population.map { Mutation.upsert(IdentityKey($0.id)!, $0) }
        let engine = persistence.engine
        let loaded = blockingResult { () async throws -> SnapshotInfo in
            _ = try await engine.commit(mutations)
            await engine.trimAndRebuildSearchIndex()
            return try await persistence.snapshot()
        }
        guard case .success = loaded else {
            throw AppStartError("cannot store the demo population in \(dataDir): \(loaded)")
        }
        fb_release_free_memory()
        let seconds = monotonicSeconds() - started
        logger.info(
            "demo.loaded",
            "loaded the demo population: \(population.count) persons in \(String(format: "%.2f", seconds)) s",
            ["persons": .int(population.count), "seconds": .seconds(seconds)])
    }
}
