/// The statistics' privacy rule, in one place: a lookup's age band and sex describe the person
/// answered, so they are kept only when the answer was `full`; any other outcome (a limited
/// answer, nobody found, refused) counts them as `unknown`, so no dimension reveals facts of a
/// person the caller was not shown. `LookupEvent` and `ExportRow` both apply it.
extension LookupOutcome {
    /// `band` if this outcome is `full`, else `unknown`.
    func shown(_ band: AgeBand) -> AgeBand { self == .full ? band : .unknown }

    /// `sex` if this outcome is `full`, else `unknown`.
    func shown(_ sex: StatsSex) -> StatsSex { self == .full ? sex : .unknown }
}
