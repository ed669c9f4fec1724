import FolkbokModel

// After an import, the side tables' values are copied into storage of their own
// (`PersonStore.trimAndRebuildSearchIndex(movingOutOfHeapArenas:)`): a string of 16 or more
// bytes is a heap object, and one made while decoding a batch lies among the batch's
// garbage, where it keeps a whole page of freed memory resident.

extension String {
    /// The same text in storage of its own (copies of a string share its storage; this does not).
    var freshCopy: String { String(decoding: Array(utf8), as: UTF8.self) }
}

extension PostalAddress {
    var freshCopy: PostalAddress {
        PostalAddress(
            careOf: careOf?.freshCopy, street: street?.freshCopy, postalCode: postalCode?.freshCopy,
            city: city?.freshCopy)
    }
}

extension ForeignAddress {
    var freshCopy: ForeignAddress { ForeignAddress(lines: lines.map(\.freshCopy), country: country?.freshCopy) }
}

extension PersonName {
    var freshCopy: PersonName {
        PersonName(
            given: given?.freshCopy, callName: callName?.freshCopy, middle: middle?.freshCopy,
            surname: surname?.freshCopy)
    }
}

extension Identity {
    var freshCopy: Identity { Identity(kind: kind, value: value.freshCopy, issuer: issuer?.freshCopy) }
}

extension HistoryEntry {
    var freshCopy: HistoryEntry {
        let copied: HistoryValue =
            switch value {
            case .name(let name): .name(name.freshCopy)
            case .address(let address): .address(address.freshCopy)
            case .specialAddress(let address): .specialAddress(address.freshCopy)
            case .foreignAddress(let address): .foreignAddress(address.freshCopy)
            case .municipality(let code): .municipality(code.freshCopy)
            }
        return HistoryEntry(value: copied, until: until)
    }
}
