import FolkbokJSON
import FolkbokServer
import Foundation
import XCTest

/// Customers for the administration tests: an admin region (01, bilateral with 03), a region
/// without admin rights (03), a municipality (0180) and the operator.
func administrationCustomers() -> String {
    let uid = getuid()
    return """
        {"customers":[
         {"id":"SE2321000016-0001","name":"Region 01","category":"region","region":"01","contracts":["normal","extended"],
          "purposes":["care","administration"],"dataProcessingAgreement":true,"admin":true,"bilateralRegions":["03"],"uids":[\(uid)]},
         {"id":"SE2321000032-0003","name":"Region 03","category":"region","region":"03","contracts":["normal"],
          "purposes":["care"],"dataProcessingAgreement":true,"uids":[\(uid)]},
         {"id":"SE2120000001-0180","name":"Kommun","category":"municipality","municipality":"0180","contracts":["normal"],
          "purposes":["municipal","hr"],"dataProcessingAgreement":true,"uids":[\(uid)]},
         {"id":"operator","name":"Operations","category":"operator","uids":[\(uid)]}]}
        """
}

extension LineClient {
    /// The `result` of a call, failing the test (and answering an empty object) on an error.
    func result(_ method: String, _ params: String, file: StaticString = #filePath, line: UInt = #line) throws
        -> JSONObject
    {
        let answer = try call(method, params: params)
        XCTAssertNotNil(answer.result, "\(method) answered \(answer)", file: file, line: line)
        return answer.result ?? JSONObject()
    }

    /// The error code of a call that must fail.
    func errorCode(_ method: String, _ params: String) throws -> Int64? { try call(method, params: params).errorCode }

    /// Sends one request and reads lines until the one holding `result` or `error`; answers the
    /// streamed lines before it and that final line.
    func stream(_ method: String, _ params: String, id: Int = 7) throws -> (lines: [JSONObject], final: JSONObject) {
        try send(line: "{\"jsonrpc\":\"2.0\",\"id\":\(id),\"method\":\"\(method)\",\"params\":\(params)}")
        var lines: [JSONObject] = []
        while let bytes = try readLine() {
            guard case .object(let o)? = try? JSONParser.parse(bytes) else {
                XCTFail("not JSON")
                break
            }
            if o["result"] != nil || o["error"] != nil { return (lines, o) }
            lines.append(o)
        }
        throw LineClient.Failure(description: "the connection closed before the answer")
    }
}

extension JSONObject {
    /// `value` of the identity object under `key`.
    func identityValue(_ key: String) -> String? { self[key]?.objectValue?["value"]?.stringValue }
}
