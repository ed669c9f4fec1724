import FolkbokJSON
import FuzzDriver

// Feeds `LineFramer` the input in chunks whose sizes come from the input and compares its
// frames with a plain split of the whole stream (STYLE.md §15, fuzzed).
//
// Layout: byte 0 picks `maxLine` (0...63, so over-long lines are common); byte 1 seeds the
// chunk sizes (1...16 bytes each, from a small LCG); the rest is the stream.
fuzzMain { data, size in
    let input = FuzzInput(fuzz: data, size)
    guard input.count >= 2 else { return 0 }
    let maxLine = Int(input[0] & 63)
    var seed = UInt32(input[1])
    let stream = Array(input.dropFirst(2))

    var framer = LineFramer(maxLine: maxLine)
    var frames: [LineFramer.Frame] = []
    var offset = 0
    while offset < stream.count {
        seed = seed &* 1_103_515_245 &+ 12_345
        let length = min(Int((seed >> 16) % 16) + 1, stream.count - offset)
        framer.append(Array(stream[offset..<(offset + length)]))
        offset += length
        if framer.bufferedBytes > maxLine + 1 { fatalError("LineFramer holds more than maxLine + 1 bytes") }
        while let frame = framer.next() { frames.append(frame) }
    }
    if frames != FramerModel.frames(stream, maxLine: maxLine) {
        fatalError("LineFramer frames differ from the split model")
    }
    return 0
}
