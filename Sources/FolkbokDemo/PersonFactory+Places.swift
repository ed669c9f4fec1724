import FolkbokModel

/// Address generation: places weighted by population, Swedish and foreign addresses.
extension PersonFactory {
    /// The index of a municipality drawn with probability proportional to its population weight.
    func pickPlace(in places: [Municipality], _ cumulative: [Int], rng: inout SplitMix64) -> Int {
        let target = rng.below(cumulative[cumulative.count - 1])
        var lo = 0
        var hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > target { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// "NNNNN" from one of the municipality's postal prefixes.
    func postalCode(in place: Municipality, rng: inout SplitMix64) -> String {
        place.postalCodes[rng.below(place.postalCodes.count)]
    }

    /// Street name + " " + 1–150, with a letter A–D on 8 % of houses.
    func streetLine(rng: inout SplitMix64) -> String {
        let name = rng.below(streets.count)
        let number = 1 + rng.below(StreetNames.maxNumber)
        if rng.chance(perMillion: 80_000) {
            return Text.spaced(streets[name], number, suffix: UInt8(65 + rng.below(4)))
        }
        return numberedStreets[name * StreetNames.maxNumber + number - 1]
    }

    /// A folkbokföringsadress; 1.5 % have a c/o line.
    func makeAddress(in place: Int, of places: [Municipality], rng: inout SplitMix64) -> PostalAddress {
        let street = streetLine(rng: &rng)
        let codes = places[place].postalCodes
        var address = PostalAddress(street: street, postalCode: codes[rng.below(codes.count)], city: places[place].city)
        if rng.chance(perMillion: 15_000) {
            let names = rng.below(2) == 0 ? female : male
            var careOf = "c/o "
            careOf += names[rng.below(names.count)]
            careOf += " "
            careOf += surnames[rng.below(surnames.count)]
            address.careOf = careOf
        }
        return address
    }

    /// A särskild postadress: a post box (half the time) or a street address, anywhere in Sweden.
    func makeSpecialAddress(in place: Municipality, rng: inout SplitMix64) -> PostalAddress {
        let street: String
        if rng.below(2) == 0 {
            street = Text.spaced("Box", 1 + rng.below(9_999))
        } else {
            street = streetLine(rng: &rng)
        }
        return PostalAddress(street: street, postalCode: postalCode(in: place, rng: &rng), city: place.city)
    }

    /// An utlandsadress: street line, postal line, country.
    func makeForeignAddress(rng: inout SplitMix64) -> ForeignAddress {
        let place = ForeignPlace.all[rng.below(ForeignPlace.all.count)]
        let number = 1 + rng.below(200)
        var line = ""
        if place.numberFirst {
            Text.append(number, to: &line)
            line += " "
            line += place.street
        } else {
            line = place.street
            line += " "
            Text.append(number, to: &line)
        }
        return ForeignAddress(lines: [line, place.postalLine], country: place.country)
    }
}
