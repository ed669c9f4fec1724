import FolkbokModel

typealias SeededGenerator = SplitMix64
