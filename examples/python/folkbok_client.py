#!/usr/bin/env python3
"""A folkbok client in Python with nothing but the standard library.

It opens a session, looks up a person, pipelines several lookups (all requests written at
once, the answers read back in order), and creates an extract of a region and reads it to
the end. The wire format is docs/PROTOCOL.md: JSON-RPC 2.0, one JSON object per line, over
the server's Unix socket.

    python3 examples/python/folkbok_client.py [--socket PATH] [--customer ID] [--purpose P]
                                              [--region NN] [IDENTITY ...]

Defaults fit the embedded demo (`swift run -c release folkbok serve`): the socket
./folkbok.sock (or FOLKBOK_SOCKET), the demo customer SE2321000016-0001 (Region Stockholm)
with purpose care, region 01, and identities from Skatteverket's official test personnummer.
"""

import argparse
import json
import os
import socket
import sys


class FolkbokError(Exception):
    """A JSON-RPC error answer: its code, reason (data.reason) and message."""

    def __init__(self, error):
        self.code = error.get("code")
        self.reason = (error.get("data") or {}).get("reason")
        super().__init__("%s %s: %s" % (self.code, self.reason, error.get("message")))


class FolkbokClient:
    """One connection to a folkbok server; requests on it are answered in the order sent."""

    def __init__(self, socket_path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(socket_path)
        self.lines = self.sock.makefile("rb")
        self.next_id = 1

    def close(self):
        self.lines.close()
        self.sock.close()

    def request_line(self, method, params=None):
        """One request as its line (with a fresh id) and that id."""
        request_id = self.next_id
        self.next_id += 1
        request = {"jsonrpc": "2.0", "id": request_id, "method": method}
        if params is not None:
            request["params"] = params
        return (json.dumps(request, separators=(",", ":")) + "\n").encode("utf-8"), request_id

    def read_answer(self):
        """The next line the server sends, parsed."""
        line = self.lines.readline()
        if not line:
            raise ConnectionError("the server closed the connection")
        return json.loads(line)

    @staticmethod
    def result_of(answer):
        if "error" in answer:
            raise FolkbokError(answer["error"])
        return answer["result"]

    def call(self, method, params=None):
        """Sends one request and answers its result (raises FolkbokError on an error answer)."""
        line, _ = self.request_line(method, params)
        self.sock.sendall(line)
        return self.result_of(self.read_answer())

    def pipeline(self, calls):
        """Sends every (method, params) at once, then reads the answers in the same order.
        Answers each as a result or a FolkbokError (not raised)."""
        lines = [self.request_line(method, params)[0] for method, params in calls]
        self.sock.sendall(b"".join(lines))
        answers = []
        for _ in calls:
            answer = self.read_answer()
            answers.append(FolkbokError(answer["error"]) if "error" in answer else answer["result"])
        return answers

    def extract(self, region, changed_since=0, profile=None):
        """Runs extract.create: answers (records, summary), the summary being
        {"count": N, "version": V}. Record lines come first, each {"id":…,"record":{…}}; the
        line with "result" (or "error") ends the extract."""
        params = {"region": region, "changedSince": changed_since}
        if profile:
            params["profile"] = profile
        line, request_id = self.request_line("extract.create", params)
        self.sock.sendall(line)
        records = []
        while True:
            answer = self.read_answer()
            if answer.get("id") == request_id and ("result" in answer or "error" in answer):
                return records, self.result_of(answer)
            records.append(answer["record"])


def describe(record):
    """A person record in one line: name, birth date, region (no more than needed)."""
    name = record.get("name") or {}
    full = " ".join(part for part in (name.get("given"), name.get("surname")) if part)
    return "%s, born %s, region %s" % (full or "(no name)", record.get("birthDate"), record.get("region"))


def main():
    parser = argparse.ArgumentParser(description="A folkbok client (Python standard library only).")
    parser.add_argument("--socket", default=os.environ.get("FOLKBOK_SOCKET", "./folkbok.sock"))
    parser.add_argument("--customer", default="SE2321000016-0001")
    parser.add_argument("--purpose", default="care")
    parser.add_argument("--region", default="01", help="the region to extract")
    parser.add_argument("identities", nargs="*", default=["189001019802", "189001029819", "197001011001"],
                        help="identities to look up (the first alone, then all pipelined)")
    args = parser.parse_args()

    client = FolkbokClient(args.socket)
    try:
        session = client.call("session.open", {"customer": args.customer, "purpose": args.purpose, "contract": "normal"})
        print("session.open: %s (%s), purpose %s, contract %s"
              % (session["customer"], session["category"], session["purpose"], session["contract"]))

        first = args.identities[0]
        try:
            print("person.get %s: %s" % (first, describe(client.call("person.get", {"id": first}))))
        except FolkbokError as error:
            print("person.get %s: error %s %s" % (first, error.code, error.reason))

        answers = client.pipeline([("person.get", {"id": identity}) for identity in args.identities])
        print("pipelined %d lookups:" % len(answers))
        for identity, answer in zip(args.identities, answers):
            if isinstance(answer, FolkbokError):
                print("  %s: error %s %s" % (identity, answer.code, answer.reason))
            else:
                print("  %s: %s" % (identity, describe(answer)))

        records, summary = client.extract(args.region)
        first_id = records[0]["id"]["value"] if records else "none"
        print("extract.create region %s: %d records (first %s), version %d"
              % (args.region, summary["count"], first_id, summary["version"]))
        if summary["count"] != len(records):
            print("extract.create: %d record lines but count %d" % (len(records), summary["count"]), file=sys.stderr)
            return 1
    except FolkbokError as error:
        print("folkbok: %s" % error, file=sys.stderr)
        return 1
    finally:
        client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
