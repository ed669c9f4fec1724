import FolkbokJSON
import XCTest

/// n_ vectors from Nicolas Seriot's JSONTestSuite, plus the i_ cases this parser rejects
/// (documented choice: lone surrogates, invalid UTF-8, a BOM and deep nesting are errors).
final class JSONTestSuiteRejectTests: XCTestCase {
    static let cases: [(String, [UInt8])] = [
        ("n_array_1_true_without_comma", Array("[1 true]".utf8)),
        ("n_array_comma_after_close", Array(#"[""],"#.utf8)),
        ("n_array_comma_and_number", Array("[,1]".utf8)),
        ("n_array_double_comma", Array("[1,,2]".utf8)),
        ("n_array_extra_close", Array(#"["x"]]"#.utf8)),
        ("n_array_extra_comma", Array(#"["",]"#.utf8)),
        ("n_array_incomplete", Array(#"["x""#.utf8)),
        ("n_array_inner_array_no_comma", Array("[3[4]]".utf8)),
        ("n_array_just_comma", Array("[,]".utf8)),
        ("n_array_number_and_comma", Array("[1,]".utf8)),
        ("n_incomplete_false", Array("[fals]".utf8)),
        ("n_incomplete_null", Array("[nul]".utf8)),
        ("n_incomplete_true", Array("[tru]".utf8)),
        ("n_number_++", Array("[++1234]".utf8)),
        ("n_number_+1", Array("[+1]".utf8)),
        ("n_number_-01", Array("[-01]".utf8)),
        ("n_number_-2.", Array("[-2.]".utf8)),
        ("n_number_.-1", Array("[.-1]".utf8)),
        ("n_number_0.e1", Array("[0.e1]".utf8)),
        ("n_number_1.0e", Array("[1.0e]".utf8)),
        ("n_number_1.0e+", Array("[1.0e+]".utf8)),
        ("n_number_Inf", Array("[Inf]".utf8)),
        ("n_number_NaN", Array("[NaN]".utf8)),
        ("n_number_infinity", Array("[Infinity]".utf8)),
        ("n_number_minus_infinity", Array("[-Infinity]".utf8)),
        ("n_number_hex_1_digit", Array("[0x1]".utf8)),
        ("n_number_with_leading_zero", Array("[012]".utf8)),
        ("n_number_leading_zero (brief)", Array("[01]".utf8)),
        ("n_number_starting_with_dot", Array("[.123]".utf8)),
        ("n_number_minus_sign_with_trailing_garbage", Array("[-foo]".utf8)),
        ("n_object_trailing_comma", Array(#"{"id":0,}"#.utf8)),
        ("n_object_missing_colon", Array(#"{"a" b}"#.utf8)),
        ("n_object_missing_value", Array(#"{"a":"#.utf8)),
        ("n_object_non_string_key", Array("{1:1}".utf8)),
        ("n_object_single_quote", Array("{'a':0}".utf8)),
        ("n_object_unquoted_key", Array(#"{a: "b"}"#.utf8)),
        ("n_object_trailing_comment", Array(#"{"a":"b"}/**/"#.utf8)),
        ("n_object_double_colon", Array(#"{"a"::"b"}"#.utf8)),
        ("n_string_single_quote", Array("['single quote']".utf8)),
        ("n_string_unescaped_ctrl_char", [0x5B, 0x22, 0x61, 0x00, 0x61, 0x22, 0x5D]),
        ("n_string_unescaped_newline", Array("[\"new\nline\"]".utf8)),
        ("n_string_unescaped_tab", Array("[\"\t\"]".utf8)),
        ("n_string_escape_x", Array(#"["\x00"]"#.utf8)),
        ("n_string_invalid_unicode_escape", Array(#"["\uqqqq"]"#.utf8)),
        ("n_string_incomplete_escape", Array(#"["\"]"#.utf8)),
        ("n_string_1_surrogate_then_escape", Array(#"["\uD800\"]"#.utf8)),
        ("n_string_incomplete_surrogate_escape_invalid", Array(#"["\uD800\uD800\x"]"#.utf8)),
        ("n_structure_lone-open-bracket", Array("[".utf8)),
        ("n_structure_no_data", []),
        ("n_single_space", Array(" ".utf8)),
        ("n_structure_double_array", Array("[][]".utf8)),
        ("n_structure_unclosed_array", Array("[1".utf8)),
        ("n_structure_unclosed_object", Array(#"{"asd":"asd""#.utf8)),
        ("n_structure_object_with_comment", Array(#"{"a":/*comment*/"b"}"#.utf8)),
        ("n_structure_trailing_#", Array(#"{"a":"b"}#{}"#.utf8)),
        ("n_structure_whitespace_formfeed", [0x5B, 0x0C, 0x5D]),
        ("n_structure_UTF8_BOM_no_data", [0xEF, 0xBB, 0xBF]),
        ("n_structure_capitalized_True", Array("[True]".utf8)),
        ("n_structure_null-byte-outside-string", [0x5B, 0x00, 0x5D]),
        ("n_multidigit_number_then_00", [0x31, 0x32, 0x33, 0x00]),
        ("n_structure_U+2060_word_joined", [0x5B, 0xE2, 0x81, 0xA0, 0x5D]),
        ("i_string_1st_surrogate_but_2nd_missing", Array(#"["\uDADA"]"#.utf8)),
        ("i_string_lone_second_surrogate", Array(#"["\uDFAA"]"#.utf8)),
        ("i_string_incomplete_surrogate_pair", Array(#"["\uDd1ea"]"#.utf8)),
        ("i_string_invalid_surrogate", Array(#"["\ud800abc"]"#.utf8)),
        ("i_string_UTF-8_invalid_sequence", [0x5B, 0x22, 0xE6, 0x97, 0xA5, 0xD1, 0x88, 0xFA, 0x22, 0x5D]),
        ("i_string_overlong_sequence_2_bytes", [0x5B, 0x22, 0xC0, 0xAF, 0x22, 0x5D]),
        ("i_string_overlong_sequence_6_bytes", [0x5B, 0x22, 0xFC, 0x83, 0xBF, 0xBF, 0xBF, 0xBF, 0x22, 0x5D]),
        ("i_string_UTF8_surrogate_U+D800", [0x5B, 0x22, 0xED, 0xA0, 0x80, 0x22, 0x5D]),
        ("i_string_not_in_unicode_range", [0x5B, 0x22, 0xF4, 0xBF, 0xBF, 0xBF, 0x22, 0x5D]),
        ("i_string_truncated-utf-8", [0x5B, 0x22, 0xE0, 0xFF, 0x22, 0x5D]),
        ("i_string_lone_utf8_continuation_byte", [0x5B, 0x22, 0x81, 0x22, 0x5D]),
        ("i_structure_UTF-8_BOM_empty_object", [0xEF, 0xBB, 0xBF, 0x7B, 0x7D]),
        ("i_structure_500_nested_arrays", Array(repeating: 0x5B, count: 500) + Array(repeating: 0x5D, count: 500)),
        ("overlong 3-byte slash (extra)", [0x22, 0xE0, 0x80, 0xAF, 0x22]),
        ("utf-8 truncated at end of input (extra)", [0x22, 0xE2, 0x82]),
    ]

    func testPublishedRejectVectorsFail() {
        for (name, bytes) in Self.cases { assertRejects(bytes, name) }
    }

    func testErrorMessagesNeverQuoteInput() {
        let inputs = [#"{"SECRET":"Ada Lovelace"#, #"["SECRET\x"]"#, "[SECRET]", #"{"SECRET" 1}"#]
        for input in inputs {
            XCTAssertThrowsError(try JSONParser.parse(input)) { error in
                let message = (error as? JSONParseError)?.message ?? "SECRET"
                XCTAssertFalse(message.contains("SECRET") || message.contains("Ada"))
            }
        }
    }

    func testErrorOffsetPointsAtOffendingByte() {
        XCTAssertThrowsError(try JSONParser.parse("[1,,2]")) { error in
            XCTAssertEqual((error as? JSONParseError)?.offset, 3)
        }
        XCTAssertThrowsError(try JSONParser.parse("[1")) { error in
            XCTAssertEqual(error as? JSONParseError, JSONParseError(offset: 2, message: "unexpected end of input"))
        }
    }
}
