import FolkbokProtocol
import FuzzDriver
import Glibc

// Byte 0 picks the session (`RequestFixture.sessions`); the rest is split at "\n" into up to
// eight lines handled in turn on two connections, as the server would: one the usual way, one
// forced the general way (`general: true`, no `FastGet`). Both must answer the same bytes;
// every answer must be one JSON line, and no error in it may hold stored person data.
fuzzMain { data, size in
    let input = FuzzInput(fuzz: data, size)
    guard let first = input.first else { return 0 }
    let usual = ConnectionState(uid: getuid())
    let general = ConnectionState(uid: getuid())
    let sessions = RequestFixture.sessions
    if let open = sessions[Int(first) % sessions.count] {
        _ = RequestFixture.answer(Array(open.utf8), usual)
        _ = RequestFixture.answer(Array(open.utf8), general)
    }
    for line in input.dropFirst().split(separator: 0x0A, maxSplits: 7, omittingEmptySubsequences: false) {
        let answer = RequestFixture.answer(Array(line), usual)
        if answer != RequestFixture.answer(Array(line), general, general: true) {
            fatalError("the usual and the general way answer a line differently")
        }
        guard let answer else { continue }
        RequestFixture.checkAnswer(answer, line: line)
    }
    RequestFixture.service.endSession(of: usual)
    RequestFixture.service.endSession(of: general)
    return 0
}
