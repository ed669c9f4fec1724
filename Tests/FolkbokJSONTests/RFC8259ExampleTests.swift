import FolkbokJSON
import XCTest

/// The examples of RFC 8259 section 13.
final class RFC8259ExampleTests: XCTestCase {
    static let imageExample = """
        {
          "Image": {
              "Width":  800,
              "Height": 600,
              "Title":  "View from 15th Floor",
              "Thumbnail": {
                  "Url":    "http://www.example.com/image/481989943",
                  "Height": 125,
                  "Width":  100
              },
              "Animated" : false,
              "IDs": [116, 943, 234, 38793]
            }
        }
        """

    static let locationsExample = """
        [
          {
             "precision": "zip",
             "Latitude":  37.7668,
             "Longitude": -122.3959,
             "Address":   "",
             "City":      "SAN FRANCISCO",
             "State":     "CA",
             "Zip":       "94107",
             "Country":   "US"
          },
          {
             "precision": "zip",
             "Latitude":  37.371991,
             "Longitude": -122.026020,
             "Address":   "",
             "City":      "SUNNYVALE",
             "State":     "CA",
             "Zip":       "94085",
             "Country":   "US"
          }
        ]
        """

    func testImageObjectExampleParsesWithExpectedFields() {
        let image = parsed(Self.imageExample)?.objectValue?["Image"]?.objectValue
        XCTAssertEqual(image?["Width"]?.int64Value, 800)
        XCTAssertEqual(image?["Title"]?.stringValue, "View from 15th Floor")
        XCTAssertEqual(image?["Thumbnail"]?.objectValue?["Url"]?.stringValue, "http://www.example.com/image/481989943")
        XCTAssertEqual(image?["Animated"]?.boolValue, false)
        XCTAssertEqual(image?["IDs"]?.arrayValue?.compactMap(\.int64Value), [116, 943, 234, 38793])
        XCTAssertEqual(image?.keys, ["Width", "Height", "Title", "Thumbnail", "Animated", "IDs"])
    }

    func testLocationsArrayExampleKeepsNumberTextVerbatim() {
        let items = parsed(Self.locationsExample)?.arrayValue
        XCTAssertEqual(items?.count, 2)
        XCTAssertEqual(items?[1].objectValue?["Longitude"], .number("-122.026020"))
        XCTAssertEqual(items?[1].objectValue?["Longitude"]?.doubleValue, -122.02602)
        XCTAssertEqual(items?[0].objectValue?["City"]?.stringValue, "SAN FRANCISCO")
        XCTAssertNil(items?[0].objectValue?["Latitude"]?.int64Value)
    }

    func testSmallTopLevelExamplesParse() {
        XCTAssertEqual(parsed(#""Hello world!""#), .string("Hello world!"))
        XCTAssertEqual(parsed("42"), .number("42"))
        XCTAssertEqual(parsed("true"), .bool(true))
    }

    func testAllThreeEntryPointsAgree() throws {
        let text = Self.imageExample
        let fromString = try JSONParser.parse(text)
        let fromArray = try JSONParser.parse(Array(text.utf8))
        let fromRaw = try Array(text.utf8).withUnsafeBytes { try JSONParser.parse($0) }
        XCTAssertEqual(fromString, fromArray)
        XCTAssertEqual(fromString, fromRaw)
    }
}
