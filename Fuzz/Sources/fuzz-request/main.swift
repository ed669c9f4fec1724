import FolkbokProtocol
import FuzzDriver
import Glibc

// Byte 0 picks the session (`RequestFixture.sessions`); the rest is split at "\n" into up to
// eight lines handled in turn on one connection, as the server would. Every answer must be
// one JSON line.
fuzzMain { data, size in
    let input = FuzzInput(fuzz: data, size)
    guard let first = input.first else { return 0 }
    let connection = ConnectionState(uid: getuid())
    let sessions = RequestFixture.sessions
    if let open = sessions[Int(first) % sessions.count] {
        _ = RequestFixture.answer(Array(open.utf8), connection)
    }
    for line in input.dropFirst().split(separator: 0x0A, maxSplits: 7, omittingEmptySubsequences: false) {
        guard let answer = RequestFixture.answer(Array(line), connection) else { continue }
        RequestFixture.checkAnswer(answer)
    }
    RequestFixture.service.endSession(of: connection)
    return 0
}
