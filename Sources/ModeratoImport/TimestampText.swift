#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The date formats of the exports, parsed and written by hand: strict, locale-free and fast
/// (a `DateFormatter` per comment would cost more than the rest of reading it).
enum TimestampText {
    /// What WordPress's `YYYY-MM-DD HH:MM:SS` field held.
    enum WordPressValue: Equatable {
        case date(Date)
        /// `0000-00-00 00:00:00`: WordPress's "no date" (drafts, very old imports).
        case zero
        case invalid
    }

    /// `YYYY-MM-DD HH:MM:SS`, read as UTC (WordPress's `_gmt` fields are UTC; its local fields
    /// carry no zone, and are only used when the UTC one is zero).
    static func wordpress(_ text: String) -> WordPressValue {
        let bytes = Array(text.utf8)
        guard bytes.count == 19, bytes[4] == dash, bytes[7] == dash, bytes[10] == space,
            bytes[13] == colon, bytes[16] == colon,
            let year = number(bytes, 0, 4), let month = number(bytes, 5, 2), let day = number(bytes, 8, 2),
            let hour = number(bytes, 11, 2), let minute = number(bytes, 14, 2), let second = number(bytes, 17, 2)
        else { return .invalid }
        if year == 0, month == 0, day == 0, hour == 0, minute == 0, second == 0 { return .zero }
        guard let date = civilDate(year, month, day, hour, minute, second) else { return .invalid }
        return .date(date)
    }

    /// RFC 3339 / ISO 8601 as Disqus writes it: `2012-03-15T11:24:51Z`, with optional fractional
    /// seconds and an optional `±HH:MM` offset instead of `Z` (none at all is read as UTC).
    static func rfc3339(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 19, bytes[4] == dash, bytes[7] == dash, bytes[10] == UInt8(ascii: "T") || bytes[10] == space,
            bytes[13] == colon, bytes[16] == colon,
            let year = number(bytes, 0, 4), let month = number(bytes, 5, 2), let day = number(bytes, 8, 2),
            let hour = number(bytes, 11, 2), let minute = number(bytes, 14, 2), let second = number(bytes, 17, 2),
            var date = civilDate(year, month, day, hour, minute, second)
        else { return nil }
        var index = 19
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            var fraction = 0.0
            var scale = 0.1
            index += 1
            let start = index
            while index < bytes.count, let digit = digitValue(bytes[index]) {
                fraction += Double(digit) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
            date += fraction
        }
        if index == bytes.count { return date }
        if bytes[index] == UInt8(ascii: "Z") || bytes[index] == UInt8(ascii: "z") {
            return index + 1 == bytes.count ? date : nil
        }
        guard bytes.count == index + 6, bytes[index] == UInt8(ascii: "+") || bytes[index] == dash,
            bytes[index + 3] == colon,
            let hours = number(bytes, index + 1, 2), let minutes = number(bytes, index + 4, 2),
            hours < 24, minutes < 60
        else { return nil }
        let offset = Double(hours * 3600 + minutes * 60)
        return bytes[index] == dash ? date + offset : date - offset
    }

    /// `YYYY-MM-DD HH:MM:SS` of `date` shifted by `offsetSeconds` (0 for WordPress's `_gmt` fields).
    static func wordpressText(_ date: Date, offsetSeconds: Int = 0) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down)) + Int64(offsetSeconds)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civil(fromDays: days)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let yearText = String(repeating: "0", count: max(0, 4 - String(year).count)) + String(year)
        return "\(yearText)-\(two(month))-\(two(day)) \(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60)):\(two(secondOfDay % 60))"
    }

    private static let dash = UInt8(ascii: "-")
    private static let colon = UInt8(ascii: ":")
    private static let space = UInt8(ascii: " ")

    private static func digitValue(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }

    private static func number(_ bytes: [UInt8], _ start: Int, _ count: Int) -> Int? {
        var value = 0
        for index in start..<start + count {
            guard let digit = digitValue(bytes[index]) else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    private static func civilDate(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int) -> Date? {
        guard year >= 1, (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
            hour < 24, minute < 60, second < 60
        else { return nil }
        let days = daysFromCivil(Int64(year), Int64(month), Int64(day))
        return Date(timeIntervalSince1970: Double(days * 86_400 + Int64(hour * 3600 + minute * 60 + second)))
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days: proleptic Gregorian, day 0 = 1970-01-01.
    private static func daysFromCivil(_ year: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
