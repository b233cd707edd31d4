#pragma once

#include "bookingservice.h"
#include "completionworkflow.h"

namespace sb::server {

struct ContactLog
{
    ContactMethod method = ContactMethod::Call;
    bool reached = false;
    QString notes;
};

// Support's side of the completion workflow (spec §2 "Support Endpoints"): taking a follow-up,
// logging contact attempts, and settling it with one of the four outcomes. Each write is one
// transaction with the booking's change-log row and the stage's notifications.
class FollowUpService
{
public:
    explicit FollowUpService(BookingService &bookings)
        : m_bookings(bookings)
        , m_workflow(bookings.context())
    { }

    // Hands the follow-up to the calling agent (the first initiatedAt is kept), whether or not
    // the job escalated it already: for a request pending past its deadline (which becomes
    // escalated) or escalated without an outcome; otherwise 409.
    Result<Booking> initiate(const QString &id, const Caller &caller);
    // Appends a contact attempt (attemptedAt = now) to an open follow-up; otherwise 409.
    Result<Booking> logContact(const QString &id, const ContactLog &contact, const Caller &caller);
    // Settles an open follow-up: booking verified or disputed, request approved, rejected or
    // auto_approved; customer and technician notified, a review requested when verified.
    // `unreachable` needs at least MIN_CONTACT_ATTEMPTS attempts that did not reach the
    // customer (409 insufficient_contact_attempts otherwise).
    Result<Booking> complete(const QString &id, FollowUpOutcome outcome, const QString &notes,
                             const Caller &caller);

private:
    Status notifyOutcome(QSqlDatabase &db, const Booking &booking);

    BookingService &m_bookings;
    CompletionWorkflow m_workflow;
};

} // namespace sb::server
