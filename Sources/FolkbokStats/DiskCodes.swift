import FolkbokModel

/// The frozen one-byte codes the statistics encodings store for each enumerated dimension.
/// They are fixed separately from the enums (which may be reordered or grow) because they are
/// on disk and in the write-ahead log: never renumber or reuse one. 0 is never a valid code
/// (an optional profile stores nil as 0).
protocol DiskCoded: CaseIterable, Hashable {
    var diskCode: UInt8 { get }
    /// `byDiskCode[code]` is the case with that code, nil for none.
    static var byDiskCode: [Self?] { get }
}

extension DiskCoded {
    /// The case with `code`, nil for an unknown code.
    @inline(__always)
    init?(diskCode code: UInt8) {
        let table = Self.byDiskCode
        guard Int(code) < table.count, let match = table[Int(code)] else { return nil }
        self = match
    }

    static func makeCodeTable() -> [Self?] {
        var table = [Self?](repeating: nil, count: 256)
        for c in allCases { table[Int(c.diskCode)] = c }
        return table
    }
}

extension LookupMethod: DiskCoded {
    static let byDiskCode = makeCodeTable()

    var diskCode: UInt8 {
        switch self {
        case .personGet: 1
        case .personGetMany: 2
        case .personSearch: 3
        case .extractCreate: 4
        case .reserveGet: 5
        }
    }
}

extension LookupOutcome: DiskCoded {
    static let byDiskCode = makeCodeTable()

    var diskCode: UInt8 {
        switch self {
        case .full: 1
        case .limited: 2
        case .notFound: 3
        case .forbidden: 4
        }
    }
}

extension AgeBand: DiskCoded {
    static let byDiskCode = makeCodeTable()

    var diskCode: UInt8 {
        switch self {
        case .child: 1
        case .young: 2
        case .middle: 3
        case .senior: 4
        case .old: 5
        case .unknown: 6
        }
    }
}

extension StatsSex: DiskCoded {
    static let byDiskCode = makeCodeTable()

    var diskCode: UInt8 {
        switch self {
        case .female: 1
        case .male: 2
        case .unknown: 3
        }
    }
}

extension CustomerCategory: DiskCoded {
    static let byDiskCode = makeCodeTable()

    var diskCode: UInt8 {
        switch self {
        case .region: 1
        case .municipality: 2
        case .private: 3
        case .operator: 4
        }
    }
}

extension Purpose: DiskCoded {
    static let byDiskCode = makeCodeTable()

    var diskCode: UInt8 {
        switch self {
        case .care: 1
        case .infection_control: 2
        case .dental: 3
        case .municipal: 4
        case .hr: 5
        case .administration: 6
        }
    }
}

extension Contract: DiskCoded {
    static let byDiskCode = makeCodeTable()

    var diskCode: UInt8 {
        switch self {
        case .normal: 1
        case .extended: 2
        }
    }
}

extension Profile: DiskCoded {
    static let byDiskCode = makeCodeTable()

    var diskCode: UInt8 {
        switch self {
        case .P1: 1
        case .P2: 2
        case .P3: 3
        case .P4: 4
        case .P5: 5
        }
    }
}
