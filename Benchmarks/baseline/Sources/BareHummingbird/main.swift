import Foundation
import Hummingbird

// BareHummingbird PORT LISTING_FILE
//
// GET  /comments  → 200 with the bytes of LISTING_FILE (Moderato's own 100-comment listing, saved
//                   by run.sh), the work Moderato's cached read path cannot avoid;
// POST /comments  → reads the whole body (up to 1 MiB) and answers 201 with a small JSON object,
//                   the HTTP part of a submission without decoding, hashing or storing anything.
let arguments = CommandLine.arguments
guard arguments.count == 3, let port = Int(arguments[1]), let listing = FileManager.default.contents(atPath: arguments[2]) else {
    FileHandle.standardError.write(Data("usage: BareHummingbird PORT LISTING_FILE\n".utf8))
    exit(2)
}
let listingBytes = ByteBuffer(bytes: listing)
let created = ByteBuffer(string: #"{"id":1,"status":"pending"}"#)

let router = Router()
router.get("/comments") { _, _ in
    Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: listingBytes))
}
router.post("/comments") { request, _ in
    _ = try await request.body.collect(upTo: 1 << 20)
    return Response(status: .created, headers: [.location: "/comments/1", .contentType: "application/json"], body: .init(byteBuffer: created))
}
let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)))
try await app.runService()
