import FolkbokJSON
import XCTest

/// y_ vectors from Nicolas Seriot's JSONTestSuite (test_parsing/), written inline from memory.
final class JSONTestSuiteAcceptTests: XCTestCase {
    static let cases: [(String, [UInt8])] = [
        ("y_array_arraysWithSpaces", Array("[[]   ]".utf8)),
        ("y_array_empty", Array("[]".utf8)),
        ("y_array_empty-string", Array(#"[""]"#.utf8)),
        ("y_array_false", Array("[false]".utf8)),
        ("y_array_heterogeneous", Array(#"[null, 1, "1", {}]"#.utf8)),
        ("y_array_null", Array("[null]".utf8)),
        ("y_array_with_1_and_newline", Array("[1\n]".utf8)),
        ("y_array_with_leading_space", Array(" [1]".utf8)),
        ("y_array_with_several_null", Array("[1,null,null,null,2]".utf8)),
        ("y_array_with_trailing_space", Array("[2] ".utf8)),
        ("y_number", Array("[123e65]".utf8)),
        ("y_number_0e+1", Array("[0e+1]".utf8)),
        ("y_number_0e1", Array("[0e1]".utf8)),
        ("y_number_after_space", Array("[ 4]".utf8)),
        (
            "y_number_double_close_to_zero",
            Array("[-0.000000000000000000000000000000000000000000000000000000000000000000000000000001]".utf8)
        ),
        ("y_number_int_with_exp", Array("[20e1]".utf8)),
        ("y_number_minus_zero", Array("[-0]".utf8)),
        ("y_number_negative_int", Array("[-123]".utf8)),
        ("y_number_real_capital_e", Array("[1E22]".utf8)),
        ("y_number_real_capital_e_neg_exp", Array("[1E-2]".utf8)),
        ("y_number_real_capital_e_pos_exp", Array("[1E+2]".utf8)),
        ("y_number_real_fraction_exponent", Array("[123.456e78]".utf8)),
        ("y_number_simple_real", Array("[123.456789]".utf8)),
        ("y_object", Array(#"{"asd":"sdf", "dfg":"fgh"}"#.utf8)),
        ("y_object_duplicated_key", Array(#"{"a":"b","a":"c"}"#.utf8)),
        ("y_object_empty", Array("{}".utf8)),
        ("y_object_empty_key", Array(#"{"":0}"#.utf8)),
        ("y_object_escaped_null_in_key", Array(#"{"foo\u0000bar": 42}"#.utf8)),
        ("y_object_simple", Array(#"{"a":[]}"#.utf8)),
        ("y_object_with_newlines", Array("{\n\"a\": \"b\"\n}".utf8)),
        ("y_string_1_2_3_bytes_UTF-8_sequences", Array(#"["\u0060\u012a\u12AB"]"#.utf8)),
        ("y_string_accepted_surrogate_pair", Array(#"["\uD801\udc37"]"#.utf8)),
        ("y_string_allowed_escapes", Array(#"["\"\\\/\b\f\n\r\t"]"#.utf8)),
        ("y_string_backslash_and_u_escaped_zero", Array(#"["\\u0000"]"#.utf8)),
        ("y_string_comments", Array(#"["a/*b*/c/*d//e"]"#.utf8)),
        ("y_string_escaped_control_character", Array(#"["\u0012"]"#.utf8)),
        ("y_string_nonCharacterInUTF-8_U+FFFF", [0x5B, 0x22, 0xEF, 0xBF, 0xBF, 0x22, 0x5D]),
        ("y_string_surrogates_U+1D11E_MUSICAL_SYMBOL_G_CLEF", Array(#"["\uD834\uDd1e"]"#.utf8)),
        ("y_string_utf8", Array("[\"€𝄞\"]".utf8)),
        ("y_string_with_del_character", [0x5B, 0x22, 0x61, 0x7F, 0x61, 0x22, 0x5D]),
        ("y_structure_lonely_false", Array("false".utf8)),
        ("y_structure_lonely_int", Array("42".utf8)),
        ("y_structure_lonely_negative_real", Array("-0.1".utf8)),
        ("y_structure_lonely_null", Array("null".utf8)),
        ("y_structure_lonely_string", Array(#""asd""#.utf8)),
        ("y_structure_string_empty", Array(#""""#.utf8)),
        ("y_structure_trailing_newline", Array("[\"a\"]\n".utf8)),
        ("y_structure_whitespace_array", Array(" [] ".utf8)),
        // i_ cases this parser accepts: the number text is kept verbatim.
        (
            "i_number_huge_exp",
            Array(
                "[0.4e00669999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999969999999006]"
                    .utf8)
        ),
        ("i_number_too_big_neg_int", Array("[-123123123123123123123123123123]".utf8)),
    ]

    func testPublishedAcceptVectorsParse() {
        for (name, bytes) in Self.cases { assertAccepts(bytes, name) }
    }

    func testSurrogatePairDecodesToGClef() {
        XCTAssertEqual(parsed(#"["\uD834\uDd1e"]"#), .array([.string("\u{1D11E}")]))
    }

    func testAllowedEscapesDecode() {
        XCTAssertEqual(parsed(#"["\"\\\/\b\f\n\r\t"]"#), .array([.string("\"\\/\u{8}\u{C}\n\r\t")]))
    }

    func testEscapedNulInKeyIsKept() {
        XCTAssertEqual(parsed(#"{"foo\u0000bar": 42}"#)?.objectValue?.keys, ["foo\u{0}bar"])
    }

    func testMinusZeroKeepsItsText() {
        XCTAssertEqual(parsed("[-0]"), .array([.number("-0")]))
    }

    func testDuplicateKeyLookupReturnsLast() {
        let object = parsed(#"{"a":"b","a":"c"}"#)?.objectValue
        XCTAssertEqual(object?["a"], .string("c"))
        XCTAssertEqual(object?.members.count, 2)
    }

    func testHugeExponentKeepsTextButHasNoFiniteDouble() {
        let text = "1e999"
        XCTAssertEqual(parsed(text), .number(text))
        XCTAssertNil(parsed(text)?.doubleValue)
    }
}
