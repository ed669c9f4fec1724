#!/bin/sh
# A folkbok client in POSIX sh with socat: on one connection it opens a session, looks up a
# person, pipelines several lookups, and creates an extract of a region, reading it to the end.
# The wire format is docs/PROTOCOL.md: JSON-RPC 2.0, one JSON object per line, over the server's
# Unix socket. A session belongs to its connection, so every request goes down one socat; the
# server answers them in the order sent.
#
#   examples/shell/folkbok.sh [SOCKET]        (default: $FOLKBOK_SOCKET, else ./folkbok.sock)
#
# Environment: FOLKBOK_CUSTOMER (default SE2321000016-0001, the demo's Region Stockholm),
# FOLKBOK_PURPOSE (care), FOLKBOK_REGION (01, the region extracted). The identities are from
# Skatteverket's official test personnummer, as in the embedded demo; the last is not in it.
set -eu

socket=${1:-${FOLKBOK_SOCKET:-./folkbok.sock}}
customer=${FOLKBOK_CUSTOMER:-SE2321000016-0001}
purpose=${FOLKBOK_PURPOSE:-care}
region=${FOLKBOK_REGION:-01}

command -v socat >/dev/null 2>&1 || { echo "folkbok.sh: needs socat (apt install socat)" >&2; exit 1; }
[ -S "$socket" ] || { echo "folkbok.sh: no server socket at $socket (start: swift run -c release folkbok serve)" >&2; exit 1; }

request() { # id method params
    printf '{"jsonrpc":"2.0","id":%s,"method":"%s","params":%s}\n' "$1" "$2" "$3"
}

{
    request 1 session.open "{\"customer\":\"$customer\",\"purpose\":\"$purpose\",\"contract\":\"normal\"}"
    request 2 person.get '{"id":"189001019802"}'
    # Pipelined: these lookups (like everything here) go out without waiting for an answer;
    # the answers come back in request order, matched by id.
    request 3 person.get '{"id":"189001019802","profile":"P2"}'
    request 4 person.get '{"id":"189001029819"}'
    request 5 person.get '{"id":"197001011001"}'
    request 6 extract.create "{\"region\":\"$region\",\"changedSince\":0}"
} |
# -t: once we have sent everything, wait up to 120 s for the server to answer and close.
socat -t 120 - "UNIX-CONNECT:$socket" |
awk '
    /"record":/ { records++; if (records == 1) print "extract record 1: " $0; next }
    { print }
    END { printf "extract: %d record lines\n", records }
'
