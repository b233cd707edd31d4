#pragma once

#include <domain/booking.h>
#include <domain/result.h>

#include <QSqlDatabase>

#include <optional>

namespace sb::store {

class SqlFilter;

struct BookingFilter
{
    QString customerId; // empty: any
    QString technicianId; // empty: any
    QList<BookingStatus> statuses; // empty: any
    int limit = 50;
    int offset = 0;
};

struct BookingPage
{
    QList<Booking> items; // with contact attempts and review
    qint64 total = 0;
};

// Bookings with their completion request, contact attempts and review, plus the queries and
// guarded updates of the completion jobs. The guarded updates change a row only while it is
// still in the state the job expects, so a job run twice, or on two instances, does its work once.
class BookingRepository
{
public:
    explicit BookingRepository(const QSqlDatabase &db)
        : m_db(db)
    { }

    // Assigns id when empty; version 1. Contact attempts and review are not written here.
    Result<Booking> insert(const Booking &booking);
    Result<std::optional<Booking>> findById(const QString &id) const;
    // Every mutable column, one statement, only at expectedVersion: Error "version_conflict"
    // otherwise, "not_found" when there is no such booking. Answers it with its new version.
    Result<Booking> update(const Booking &booking, int expectedVersion);
    // Newest first.
    Result<BookingPage> list(const BookingFilter &filter) const;

    // Error "not_found" when there is no such booking.
    Status addContactAttempt(const QString &bookingId, const ContactAttempt &attempt,
                             const QString &agentId);

    // Pending completion requests whose deadline is at or before now, earliest first.
    Result<QList<Booking>> dueForEscalation(const QDateTime &now, int limit) const;
    // The plan of claimDueForEscalation's statement (see explainQuery; preferIndexes for tests on
    // a handful of rows).
    Result<QString> explainDueForEscalation(const QDateTime &now, int limit,
                                            bool preferIndexes = true) const;
    // Pending requests due in (now, windowEnd] whose customer has not been reminded yet.
    Result<QList<Booking>> dueForReminder(const QDateTime &now, const QDateTime &windowEnd,
                                          int limit) const;
    // GET /bookings/pending-completion: past the deadline and still pending, or escalated with no
    // follow-up outcome yet; earliest deadline first.
    Result<BookingPage> pendingCompletions(const QDateTime &now, int limit, int offset) const;
    // Open follow-ups (escalated, no outcome) initiated at or before `before`: the auto-complete
    // job's candidates, with their contact attempts. Pages on from the (initiatedAt, id) of the
    // last row read when afterId is set: candidates that stay open do not hide the rest.
    Result<QList<Booking>> openFollowUpsInitiatedBefore(const QDateTime &before, int limit,
                                                        const QDateTime &afterInitiatedAt = {},
                                                        const QString &afterId = {}) const;

    // The escalation job's batch, in one statement: up to `limit` of the bookings
    // dueForEscalation() lists become escalated as markEscalated() does it, and are answered as
    // they now are (earliest deadline first). On PostgreSQL the rows are picked FOR UPDATE SKIP
    // LOCKED: another transaction claiming at the same time takes other rows, never these.
    Result<QList<Booking>> claimDueForEscalation(const QDateTime &now, int limit);

    // Guarded job updates; each answers whether it changed the booking.
    // pending and due -> escalated, autoEscalated, follow-up initiated at now.
    Result<bool> markEscalated(const QString &bookingId, const QDateTime &now);
    // Pending and not yet reminded -> reminded.
    Result<bool> markReminderSent(const QString &bookingId);
    // Open follow-up -> outcome, completed at now, booking status newStatus.
    Result<bool> completeFollowUp(const QString &bookingId, FollowUpOutcome outcome,
                                  BookingStatus newStatus, const QDateTime &now,
                                  const QString &completedBy, const QString &notes);

    // One per booking: a second answers Error "already_reviewed", even when two race.
    Result<Review> insertReview(const Review &review);
    Result<std::optional<Review>> findReviewByBooking(const QString &bookingId) const;

private:
    Result<QList<Booking>> select(const QString &tail, const SqlFilter &bindings) const;
    Status loadDetails(QList<Booking> &bookings) const;

    QSqlDatabase m_db;
};

} // namespace sb::store
