/// The `limit` smallest distinct keys among those offered, kept in a bounded max-heap, so a page
/// of a large candidate set costs O(n) checks plus O(limit · log n) heap work for random order.
///
/// Guarantees: after any sequence of `offer`s, `ascending()` is the sorted list of the `limit`
/// smallest distinct keys offered (all of them if fewer); offering a key twice changes nothing.
struct SmallestKeys {
    let limit: Int
    /// Max-heap: `heap[0]` is the largest key kept.
    private var heap: [UInt64] = []
    private var kept = Set<UInt64>()

    init(limit: Int) {
        self.limit = max(0, limit)
        heap.reserveCapacity(min(self.limit, 4_096))
    }

    /// Whether `key` could still be kept (cheap; lets callers skip work for keys that cannot).
    @inline(__always)
    func wants(_ key: UInt64) -> Bool { heap.count < limit || (limit > 0 && key < heap[0]) }

    @inline(__always)
    mutating func offer(_ key: UInt64) {
        if heap.count < limit {
            guard kept.insert(key).inserted else { return }
            heap.append(key)
            siftUp(heap.count - 1)
        } else if limit > 0 && key < heap[0] {
            guard kept.insert(key).inserted else { return }
            kept.remove(heap[0])
            heap[0] = key
            siftDown(0)
        }
    }

    func ascending() -> [UInt64] { heap.sorted() }

    private mutating func siftUp(_ start: Int) {
        var i = start
        while i > 0 {
            let parent = (i - 1) / 2
            guard heap[parent] < heap[i] else { return }
            heap.swapAt(parent, i)
            i = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var i = start
        while true {
            let l = 2 * i + 1, r = l + 1
            var largest = i
            if l < heap.count && heap[l] > heap[largest] { largest = l }
            if r < heap.count && heap[r] > heap[largest] { largest = r }
            if largest == i { return }
            heap.swapAt(i, largest)
            i = largest
        }
    }
}
