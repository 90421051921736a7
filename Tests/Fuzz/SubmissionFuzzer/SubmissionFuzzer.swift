import Foundation
import ModeratoCore

/// libFuzzer entry point for the body decoding and validation path (`Tests/Fuzz/run.sh`).
///
/// The first byte picks the format (even: form, odd: JSON); the rest is the body. Whatever the
/// bytes, parsing must either succeed or throw `Malformed`, and anything that validates must
/// render to inert HTML and validate again unchanged. A violation traps, which libFuzzer reports
/// as a crash with the input that caused it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSubmission(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let first = bytes.first else { return 0 }
    let format: SubmissionBody.Format = first & 1 == 0 ? .form : .json
    if format == .json { checkJSONReaderAgreesWithFoundation(Array(bytes.dropFirst())) }
    guard let parsed = try? SubmissionBody.parse(bytes.dropFirst(), as: format) else { return 0 }
    _ = parsed.redirectTo.flatMap(WebAddress.init)

    let validator = SubmissionValidator(limits: SubmissionLimits())
    guard case .success(let valid) = validator.validate(parsed.submission) else { return 0 }

    // Validation is idempotent: the cleaned values pass again and stay the same.
    let again = validator.validate(
        Submission(
            body: valid.body, author: valid.author, email: valid.normalizedEmail, url: valid.url,
            post: valid.post, parent: valid.parent.map(String.init)
        ))
    guard case .success(let second) = again, second.body == valid.body, second.author == valid.author,
        second.normalizedEmail == valid.normalizedEmail, second.url == valid.url, second.post == valid.post
    else {
        fatalError("validation is not idempotent")
    }

    // The rendered body contains no markup but ours — checked on Unicode scalars, as a browser reads it.
    let html = Array(CommentRenderer.html(valid.body).unicodeScalars)
    var index = 0
    while let open = html[index...].firstIndex(of: "<") {
        guard let close = html[open...].firstIndex(of: ">") else { fatalError("unclosed tag") }
        let tag = String(String.UnicodeScalarView(html[open...close]))
        let ours =
            ["<p>", "</p>", "<br>", "</a>"].contains(tag)
            || (tag.lowercased().hasPrefix("<a href=\"http") && tag.hasSuffix("\" rel=\"nofollow ugc noopener\">")
                && !tag.unicodeScalars.dropFirst(9).dropLast(30).contains { "\"'<>`".unicodeScalars.contains($0) })
        if !ours { fatalError("unexpected markup \(tag)") }
        index = close + 1
    }
    return 0
}

/// The hand-written JSON reader must read every body as Foundation's `JSONDecoder` did (the
/// decoder it replaced): the same refusals and the same value for every submission field.
func checkJSONReaderAgreesWithFoundation(_ bytes: [UInt8]) {
    guard String(validating: bytes, as: UTF8.self) != nil else { return }
    let names = SubmissionBody.jsonFields
    let expected: Result<[String: JSONScalar], JSONObjectFields.Failure>
    do {
        expected = .success(try JSONDecoder().decode([String: JSONScalar].self, from: Data(bytes)).filter { names.contains($0.key) })
    } catch DecodingError.typeMismatch {
        expected = .failure(.notAnObject)
    } catch {
        expected = .failure(.invalidJSON)
    }
    let actual: Result<[String: JSONScalar], JSONObjectFields.Failure>
    do {
        let object = try JSONObjectFields(parsing: bytes, names: names)
        var fields: [String: JSONScalar] = [:]
        for name in names { fields[name] = object[name] }
        actual = .success(fields)
    } catch {
        actual = .failure(error)
    }
    if expected != actual {
        fatalError(
            "JSON reader disagrees with JSONDecoder: \(expected) vs \(actual) for \(String(decoding: bytes, as: UTF8.self).debugDescription)"
        )
    }
}

/// libFuzzer's driver, from the fuzzer runtime linked by `-sanitize=fuzzer` (its C name).
// swift-format-ignore: AlwaysUseLowerCamelCase
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// SwiftPM links an executable's entry point under this name; it hands control to libFuzzer.
@_cdecl("SubmissionFuzzer_main")
public func submissionFuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, fuzzSubmission)
}
