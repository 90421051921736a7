/// How one attempt to deliver a notification ended.
enum DeliveryAttempt: Sendable, Equatable {
    /// Accepted by the other end; the detail says how (`HTTP 204`, `sendmail exit 0`).
    case delivered(String)
    /// Not delivered. `reason` names what went wrong for the operator's log and
    /// `moderato notify status`, and never holds personal data.
    case failed(reason: String)
}
