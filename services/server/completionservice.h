#pragma once

#include "bookingservice.h"
#include "completionworkflow.h"

namespace sb::server {

struct CompletionAnswer
{
    bool approved = false;
    QString feedback;
    QString issues; // required when not approved
};

// The technician's and the customer's side of the completion workflow (spec §2): the request,
// the answer, and support's list of requests past their deadline. Each write is one
// transaction with the booking's change-log row and the stage's notifications.
class CompletionService
{
public:
    explicit CompletionService(BookingService &bookings)
        : m_bookings(bookings)
        , m_workflow(bookings.context())
    { }

    // The assigned technician, booking in_progress: a new completion request (pending, deadline
    // COMPLETION_ESCALATION_HOURS from now), booking completed, the customer notified.
    Result<Booking> request(const QString &id, const Caller &caller);
    // The booking's customer, while the request is pending or escalated without an outcome (an
    // answer after the deadline still counts until support settles the follow-up). Approve:
    // verified, review request. Reject: back to in_progress and a high-priority booking ticket.
    Result<Booking> respond(const QString &id, const CompletionAnswer &answer,
                            const Caller &caller);
    // Past the deadline and still pending, or escalated with no outcome yet.
    Result<store::BookingPage> pending(int limit, int offset) const;

private:
    Status approve(Booking &booking, QSqlDatabase &db);
    Status reject(Booking &booking, QSqlDatabase &db);

    BookingService &m_bookings;
    CompletionWorkflow m_workflow;
};

} // namespace sb::server
