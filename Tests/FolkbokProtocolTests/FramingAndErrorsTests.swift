import FolkbokJSON
import XCTest

@testable import FolkbokProtocol

final class FramingAndErrorsTests: XCTestCase {
    func test_notJSON_isParseErrorWithNullID() async {
        let h = await ServiceHarness()
        let answer = await h.json("{not json")
        XCTAssertEqual(answer?.errorCode, -32700)
        XCTAssertEqual(answer?["id"], .null)
    }

    func test_blankLine_answersNothing() async {
        let h = await ServiceHarness()
        let answer = await h.send("   ")
        XCTAssertNil(answer)
    }

    func test_emptyBatch_isOneInvalidRequestObject() async {
        let h = await ServiceHarness()
        let answer = await h.json("[]")
        XCTAssertEqual(answer?.errorCode, -32600)
        XCTAssertNil(answer?.arrayValue)
    }

    func test_batchOfNotifications_answersNothing() async {
        let h = await ServiceHarness()
        let answer = await h.send(#"[{"method":"ping"},{"jsonrpc":"2.0","method":"ping"}]"#)
        XCTAssertNil(answer)
    }

    func test_batch_answersInOrderWithoutNotifications() async {
        let h = await ServiceHarness()
        _ = await h.open("region-ext")
        let answer = await h.json(
            #"[{"id":"a","method":"ping"},{"method":"ping"},{"id":2,"method":"person.get","params":{"id":"191212121212"}},5]"#
        )
        let items = answer?.arrayValue ?? []
        XCTAssertEqual(items.count, 3)
        XCTAssertEqual(items[0]["id"], .string("a"))
        XCTAssertEqual(items[1]["id"], .number("2"))
        XCTAssertNotNil(items[1]["result"]?["name"])
        XCTAssertEqual(items[2].errorCode, -32600)
    }

    func test_nullID_isARequestAnsweredWithNullID() async {
        let h = await ServiceHarness()
        let answer = await h.json(#"{"id":null,"method":"ping"}"#)
        XCTAssertEqual(answer?["id"], .null)
        XCTAssertEqual(answer?["result"]?["pong"], .bool(true))
    }

    func test_idEchoedExactly() async {
        let h = await ServiceHarness()
        let answer = await h.send(#"{"id":1.50,"method":"ping"}"#)
        XCTAssertTrue(answer?.hasPrefix(#"{"jsonrpc":"2.0","id":1.50,"#) ?? false, answer ?? "nil")
    }

    func test_wrongJSONRPCVersion_isInvalidRequest() async {
        let h = await ServiceHarness()
        let answer = await h.json(#"{"jsonrpc":"1.0","id":1,"method":"ping"}"#)
        XCTAssertEqual(answer?.errorCode, -32600)
        XCTAssertEqual(answer?["id"], .number("1"))
    }

    func test_unknownMethod_isMethodNotFound() async {
        let h = await ServiceHarness()
        let answer = await h.json(#"{"id":1,"method":"person.fly","params":{"bogus":1}}"#)
        XCTAssertEqual(answer?.errorCode, -32601)
    }

    func test_precedence_paramsBeforeSessionBeforeIdentityBeforeNotFound() async {
        let h = await ServiceHarness()
        let badParams = await h.json(#"{"id":1,"method":"person.get","params":{"id":"191212121212","profile":"P9"}}"#)
        XCTAssertEqual(badParams?.errorCode, -32602)
        let noSession = await h.json(#"{"id":1,"method":"person.get","params":{"id":"not a number"}}"#)
        XCTAssertEqual(noSession?.errorCode, 4001)
        _ = await h.open("operator", purpose: nil, contract: nil)
        let operatorAsks = await h.json(#"{"id":1,"method":"person.get","params":{"id":"not a number"}}"#)
        XCTAssertEqual(operatorAsks?.errorCode, 4003)
        _ = await h.open("region-ext")
        let invalid = await h.json(#"{"id":1,"method":"person.get","params":{"id":"191212121213"}}"#)
        XCTAssertEqual(invalid?.errorCode, 4022)
        XCTAssertFalse(invalid?["error"]?["message"]?.stringValue?.contains("1212") ?? true, "no person data in errors")
        let absent = await h.json(#"{"id":1,"method":"person.get","params":{"id":"197001012389"}}"#)
        XCTAssertEqual(absent?.errorCode, 4004)
    }

    func test_unknownParam_isInvalidParams() async {
        let h = await ServiceHarness()
        _ = await h.open("region-ext")
        let answer = await h.json(#"{"id":1,"method":"person.get","params":{"id":"191212121212","colour":"red"}}"#)
        XCTAssertEqual(answer?.errorCode, -32602)
        XCTAssertEqual(answer?.errorReason, "invalid_params")
    }

    func test_getMany_limitsAndInputOrder() async {
        let h = await ServiceHarness()
        _ = await h.open("region-ext")
        let tooMany = "[" + Array(repeating: "\"191212121212\"", count: 501).joined(separator: ",") + "]"
        let refused = await h.json("{\"id\":1,\"method\":\"person.getMany\",\"params\":{\"ids\":\(tooMany)}}")
        XCTAssertEqual(refused?.errorCode, -32602)
        let empty = await h.json(#"{"id":1,"method":"person.getMany","params":{"ids":[]}}"#)
        XCTAssertEqual(empty?.errorCode, -32602)
        let answer = await h.json(
            #"{"id":1,"method":"person.getMany","params":{"ids":["19121212-1212","bad","197001012389"]}}"#)
        let results = answer?["result"]?["results"]?.arrayValue ?? []
        XCTAssertEqual(results.count, 3)
        XCTAssertEqual(results[0]["id"], .string("19121212-1212"))
        XCTAssertEqual(results[0]["record"]?["id"]?["value"], .string("191212121212"))
        XCTAssertEqual(results[1].errorCode, 4022)
        XCTAssertEqual(results[2].errorCode, 4004)
    }
}
