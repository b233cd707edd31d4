#include "bookingrepository.h"

#include "bookingrecord.h"
#include "ids.h"
#include "queryplan.h"
#include "sqlfilter.h"
#include "sqlquery.h"

#include <algorithm>

namespace sb::store {

namespace {

// The literal predicate of the partial index bookings_escalation_due. It must stay a literal,
// not a bound value: both planners match a partial index's predicate against the query text.
const QString kPending = QStringLiteral("b.cr_status = 'pending'");
const QString kOpenFollowUp = QStringLiteral("b.cr_status = 'escalated' AND b.fu_outcome IS NULL");

const QString kDueForEscalation = u" WHERE " + kPending
    + u" AND b.escalation_deadline <= :now ORDER BY b.escalation_deadline, b.id LIMIT :limit";

// markEscalated's guarded update, for the batch that the subquery picks through the partial index.
QString claimDueSql(Dialect dialect)
{
    return u"UPDATE bookings SET cr_status = 'escalated', auto_escalated = TRUE, "
           u"fu_initiated = TRUE, fu_initiated_at = :now, updated_at = :now, "
           u"version = version + 1 WHERE cr_status = 'pending' AND escalation_deadline <= :now "
           u"AND id IN (SELECT b.id FROM bookings b"
        + kDueForEscalation + (dialect == Dialect::Postgres ? u" FOR UPDATE SKIP LOCKED" : u"")
        + u") RETURNING " + BookingRecord::plainColumns();
}

Error bookingNotFound()
{
    return Error::make(QStringLiteral("not_found"), QStringLiteral("No such booking."));
}

Review readReview(const SqlQuery &q)
{
    Review r;
    r.id = q.value(0).toString();
    r.bookingId = q.value(1).toString();
    r.customerId = q.value(2).toString();
    r.technicianId = fromDbRef(q.value(3));
    r.rating = q.value(4).toInt();
    r.comment = q.value(5).toString();
    r.createdAt = fromDbTime(q.value(6));
    return r;
}

const QString kReviewColumns
    = QStringLiteral("id, booking_id, customer_id, technician_id, rating, comment, created_at");

} // namespace

Result<Booking> BookingRepository::insert(const Booking &booking)
{
    Booking b = booking;
    if (b.id.isEmpty())
        b.id = newId();
    b.version = 1;
    const QStringList &columns = BookingRecord::mutableColumns();
    QStringList placeholders;
    for (const QString &c : columns)
        placeholders << u':' + c;
    SqlQuery q(m_db,
               u"INSERT INTO bookings (id, customer_id, created_at, version, " + columns.join(u", ")
                   + u") VALUES (:id, :customer_id, :created_at, 1, " + placeholders.join(u", ")
                   + u')');
    q.bind(QStringLiteral(":id"), b.id)
        .bind(QStringLiteral(":customer_id"), b.customerId)
        .bind(QStringLiteral(":created_at"), dbTime(b.createdAt));
    BookingRecord::bindMutable(q, b);
    if (Status s = q.exec(); !s)
        return s.error();
    return b;
}

Result<QList<Booking>> BookingRepository::select(const QString &tail,
                                                 const SqlFilter &bindings) const
{
    SqlQuery q(m_db, u"SELECT " + BookingRecord::columns() + u" FROM bookings b" + tail);
    bindings.applyTo(q);
    if (Status s = q.exec(); !s)
        return s.error();
    QList<Booking> out;
    while (q.next())
        out << BookingRecord::read(q);
    if (Status s = loadDetails(out); !s)
        return s.error();
    return out;
}

// Contact attempts and reviews of a page of bookings: two queries, not two per booking.
Status BookingRepository::loadDetails(QList<Booking> &bookings) const
{
    if (bookings.isEmpty())
        return {};
    QHash<QString, qsizetype> index;
    for (qsizetype i = 0; i < bookings.size(); ++i)
        index.insert(bookings.at(i).id, i);
    const QString in = SqlFilter::placeholders(QStringLiteral("b"), bookings.size());
    auto bindIds = [&](SqlQuery &q) {
        for (qsizetype i = 0; i < bookings.size(); ++i)
            q.bind(u":b" + QString::number(i), bookings.at(i).id);
    };

    SqlQuery attempts(m_db,
                      u"SELECT booking_id, method, attempted_at, reached, notes "
                      u"FROM contact_attempts WHERE booking_id IN ("
                          + in + u") ORDER BY booking_id, attempted_at, id");
    bindIds(attempts);
    if (Status s = attempts.exec(); !s)
        return s;
    while (attempts.next()) {
        Booking &b = bookings[index.value(attempts.value(0).toString())];
        if (!b.completionRequest)
            continue;
        ContactAttempt a;
        a.method = parseEnum<ContactMethod>(attempts.value(1).toString()).value_or(a.method);
        a.attemptedAt = fromDbTime(attempts.value(2));
        a.reached = attempts.value(3).toBool();
        a.notes = attempts.value(4).toString();
        b.completionRequest->supportFollowUp.contactAttempts << a;
    }

    SqlQuery reviews(
        m_db, u"SELECT " + kReviewColumns + u" FROM reviews WHERE booking_id IN (" + in + u')');
    bindIds(reviews);
    if (Status s = reviews.exec(); !s)
        return s;
    while (reviews.next()) {
        const Review r = readReview(reviews);
        bookings[index.value(r.bookingId)].review = r;
    }
    return {};
}

Result<std::optional<Booking>> BookingRepository::findById(const QString &id) const
{
    SqlFilter bindings;
    bindings.bind(QStringLiteral(":id"), id);
    Result<QList<Booking>> found = select(QStringLiteral(" WHERE b.id = :id"), bindings);
    if (!found)
        return found.error();
    if (found->isEmpty())
        return std::optional<Booking>();
    return std::optional<Booking>(found->first());
}

Result<Booking> BookingRepository::update(const Booking &booking, int expectedVersion)
{
    QStringList assignments;
    for (const QString &c : BookingRecord::mutableColumns())
        assignments << c + u" = :" + c;
    SqlQuery q(m_db,
               u"UPDATE bookings SET " + assignments.join(u", ")
                   + u", version = version + 1 WHERE id = :id AND version = :expected");
    BookingRecord::bindMutable(q, booking);
    q.bind(QStringLiteral(":id"), booking.id).bind(QStringLiteral(":expected"), expectedVersion);
    if (Status s = q.exec(); !s)
        return s.error();
    if (q.rowsAffected() == 0) {
        SqlQuery exists(m_db, QStringLiteral("SELECT 1 FROM bookings WHERE id = :id"));
        if (Status s = exists.bind(QStringLiteral(":id"), booking.id).exec(); !s)
            return s.error();
        if (!exists.next())
            return bookingNotFound();
        return Error::make(QStringLiteral("version_conflict"),
                           QStringLiteral("The booking was changed by someone else; reload it."),
                           {{QStringLiteral("expectedVersion"), expectedVersion}});
    }
    Booking updated = booking;
    updated.version = expectedVersion + 1;
    return updated;
}

Result<BookingPage> BookingRepository::list(const BookingFilter &filter) const
{
    SqlFilter where;
    if (!filter.customerId.isEmpty())
        where.where(QStringLiteral("b.customer_id = :customer"))
            .bind(QStringLiteral(":customer"), filter.customerId);
    if (!filter.technicianId.isEmpty())
        where.where(QStringLiteral("b.technician_id = :technician"))
            .bind(QStringLiteral(":technician"), filter.technicianId);
    QStringList statuses;
    for (BookingStatus s : filter.statuses)
        statuses << toString(s);
    where.whereIn(QStringLiteral("b.status"), QStringLiteral("st"), statuses);

    SqlQuery count(m_db, u"SELECT COUNT(*) FROM bookings b" + where.clause());
    where.applyTo(count);
    if (Status s = count.exec(); !s || !count.next())
        return storageError();
    BookingPage page;
    page.total = count.value(0).toLongLong();

    SqlFilter paged = where;
    paged.bind(QStringLiteral(":limit"), filter.limit)
        .bind(QStringLiteral(":offset"), filter.offset);
    Result<QList<Booking>> items = select(
        where.clause() + u" ORDER BY b.created_at DESC, b.id DESC LIMIT :limit OFFSET :offset",
        paged);
    if (!items)
        return items.error();
    page.items = *items;
    return page;
}

Status BookingRepository::addContactAttempt(const QString &bookingId, const ContactAttempt &attempt,
                                            const QString &agentId)
{
    SqlQuery exists(m_db, QStringLiteral("SELECT 1 FROM bookings WHERE id = :id"));
    if (Status s = exists.bind(QStringLiteral(":id"), bookingId).exec(); !s)
        return s;
    if (!exists.next())
        return bookingNotFound();
    SqlQuery q(m_db,
               QStringLiteral("INSERT INTO contact_attempts (id, booking_id, agent_id, method, "
                              "attempted_at, reached, notes) VALUES (:id, :booking, :agent, "
                              ":method, :at, :reached, :notes)"));
    q.bind(QStringLiteral(":id"), newId())
        .bind(QStringLiteral(":booking"), bookingId)
        .bind(QStringLiteral(":agent"), dbRef(agentId))
        .bind(QStringLiteral(":method"), toString(attempt.method))
        .bind(QStringLiteral(":at"), dbTime(attempt.attemptedAt))
        .bind(QStringLiteral(":reached"), attempt.reached)
        .bind(QStringLiteral(":notes"), attempt.notes);
    return q.exec();
}

Result<QList<Booking>> BookingRepository::dueForEscalation(const QDateTime &now, int limit) const
{
    SqlFilter bindings;
    bindings.bind(QStringLiteral(":now"), dbTime(now)).bind(QStringLiteral(":limit"), limit);
    return select(kDueForEscalation, bindings);
}

Result<QString> BookingRepository::explainDueForEscalation(const QDateTime &now, int limit,
                                                           bool preferIndexes) const
{
    SqlFilter bindings;
    bindings.bind(QStringLiteral(":now"), dbTime(now)).bind(QStringLiteral(":limit"), limit);
    return explainQuery(m_db, claimDueSql(dialectOf(m_db)), bindings, preferIndexes);
}

Result<QList<Booking>> BookingRepository::claimDueForEscalation(const QDateTime &now, int limit)
{
    SqlQuery q(m_db, claimDueSql(dialectOf(m_db)));
    q.bind(QStringLiteral(":now"), dbTime(now)).bind(QStringLiteral(":limit"), limit);
    if (Status s = q.exec(); !s)
        return s.error();
    // The rows as the update left them: no second read of what was just written.
    QList<Booking> claimed;
    while (q.next())
        claimed << BookingRecord::read(q);
    q.finish();
    std::sort(claimed.begin(), claimed.end(), [](const Booking &a, const Booking &b) {
        const QDateTime &da = a.completionRequest->escalationDeadline;
        const QDateTime &db = b.completionRequest->escalationDeadline;
        return da != db ? da < db : a.id < b.id;
    });
    if (Status s = loadDetails(claimed); !s)
        return s.error();
    return claimed;
}

Result<QList<Booking>>
BookingRepository::dueForReminder(const QDateTime &now, const QDateTime &windowEnd, int limit) const
{
    SqlFilter bindings;
    bindings.bind(QStringLiteral(":now"), dbTime(now))
        .bind(QStringLiteral(":end"), dbTime(windowEnd))
        .bind(QStringLiteral(":limit"), limit);
    return select(u" WHERE " + kPending
                      + u" AND b.escalation_deadline > :now AND b.escalation_deadline <= :end "
                        u"AND b.reminder_sent = FALSE "
                        u"ORDER BY b.escalation_deadline, b.id LIMIT :limit",
                  bindings);
}

Result<BookingPage> BookingRepository::pendingCompletions(const QDateTime &now, int limit,
                                                          int offset) const
{
    // Each side of the OR matches one partial index (bookings_escalation_due,
    // bookings_followup_open).
    const QString where = u" WHERE ((" + kPending + u" AND b.escalation_deadline <= :now) OR ("
        + kOpenFollowUp + u"))";
    SqlQuery count(m_db, u"SELECT COUNT(*) FROM bookings b" + where);
    if (Status s = count.bind(QStringLiteral(":now"), dbTime(now)).exec(); !s || !count.next())
        return storageError();
    BookingPage page;
    page.total = count.value(0).toLongLong();

    SqlFilter bindings;
    bindings.bind(QStringLiteral(":now"), dbTime(now))
        .bind(QStringLiteral(":limit"), limit)
        .bind(QStringLiteral(":offset"), offset);
    Result<QList<Booking>> items = select(
        where + u" ORDER BY b.escalation_deadline, b.id LIMIT :limit OFFSET :offset", bindings);
    if (!items)
        return items.error();
    page.items = *items;
    return page;
}

Result<QList<Booking>>
BookingRepository::openFollowUpsInitiatedBefore(const QDateTime &before, int limit,
                                                const QDateTime &afterInitiatedAt,
                                                const QString &afterId) const
{
    SqlFilter bindings;
    bindings.bind(QStringLiteral(":before"), dbTime(before)).bind(QStringLiteral(":limit"), limit);
    QString after;
    if (!afterId.isEmpty()) {
        after = QStringLiteral(" AND (b.fu_initiated_at > :afterAt OR (b.fu_initiated_at = "
                               ":afterAt AND b.id > :afterId))");
        bindings.bind(QStringLiteral(":afterAt"), dbTime(afterInitiatedAt))
            .bind(QStringLiteral(":afterId"), afterId);
    }
    return select(u" WHERE " + kOpenFollowUp + u" AND b.fu_initiated_at <= :before" + after
                      + u" ORDER BY b.fu_initiated_at, b.id LIMIT :limit",
                  bindings);
}

Result<bool> BookingRepository::markEscalated(const QString &bookingId, const QDateTime &now)
{
    SqlQuery q(m_db,
               QStringLiteral("UPDATE bookings SET cr_status = 'escalated', auto_escalated = TRUE, "
                              "fu_initiated = TRUE, fu_initiated_at = :now, updated_at = :now, "
                              "version = version + 1 WHERE id = :id AND cr_status = 'pending' "
                              "AND escalation_deadline <= :now"));
    q.bind(QStringLiteral(":now"), dbTime(now)).bind(QStringLiteral(":id"), bookingId);
    if (Status s = q.exec(); !s)
        return s.error();
    return q.rowsAffected() > 0;
}

Result<bool> BookingRepository::markReminderSent(const QString &bookingId)
{
    // Bumps the version so that an agent's update() made from an older read cannot clear it.
    SqlQuery q(
        m_db,
        QStringLiteral("UPDATE bookings SET reminder_sent = TRUE, version = version + 1 "
                       "WHERE id = :id AND cr_status = 'pending' AND reminder_sent = FALSE"));
    if (Status s = q.bind(QStringLiteral(":id"), bookingId).exec(); !s)
        return s.error();
    return q.rowsAffected() > 0;
}

Result<bool> BookingRepository::completeFollowUp(const QString &bookingId, FollowUpOutcome outcome,
                                                 BookingStatus newStatus, const QDateTime &now,
                                                 const QString &completedBy, const QString &notes)
{
    SqlQuery q(m_db,
               QStringLiteral("UPDATE bookings SET status = :status, fu_outcome = :outcome, "
                              "fu_completed_by = :by, fu_completed_at = :now, fu_notes = :notes, "
                              "updated_at = :now, version = version + 1 WHERE id = :id AND "
                              "cr_status = 'escalated' AND fu_outcome IS NULL"));
    q.bind(QStringLiteral(":status"), toString(newStatus))
        .bind(QStringLiteral(":outcome"), toString(outcome))
        .bind(QStringLiteral(":by"), dbRef(completedBy))
        .bind(QStringLiteral(":now"), dbTime(now))
        .bind(QStringLiteral(":notes"), notes)
        .bind(QStringLiteral(":id"), bookingId);
    if (Status s = q.exec(); !s)
        return s.error();
    return q.rowsAffected() > 0;
}

Result<Review> BookingRepository::insertReview(const Review &review)
{
    Review r = review;
    if (r.id.isEmpty())
        r.id = newId();
    // ON CONFLICT DO NOTHING (same text in both dialects) turns a duplicate, even one racing in
    // from another connection, into "no row inserted" instead of a constraint error.
    SqlQuery q(m_db,
               u"INSERT INTO reviews (" + kReviewColumns
                   + u") VALUES (:id, :booking, :customer, :technician, :rating, :comment, "
                     u":created) ON CONFLICT (booking_id) DO NOTHING");
    q.bind(QStringLiteral(":id"), r.id)
        .bind(QStringLiteral(":booking"), r.bookingId)
        .bind(QStringLiteral(":customer"), r.customerId)
        .bind(QStringLiteral(":technician"), dbRef(r.technicianId))
        .bind(QStringLiteral(":rating"), r.rating)
        .bind(QStringLiteral(":comment"), r.comment)
        .bind(QStringLiteral(":created"), dbTime(r.createdAt));
    if (Status s = q.exec(); !s)
        return s.error();
    if (q.rowsAffected() == 0) {
        return Error::make(QStringLiteral("already_reviewed"),
                           QStringLiteral("This booking has already been reviewed."));
    }
    return r;
}

Result<std::optional<Review>> BookingRepository::findReviewByBooking(const QString &bookingId) const
{
    SqlQuery q(m_db, u"SELECT " + kReviewColumns + u" FROM reviews WHERE booking_id = :booking");
    if (Status s = q.bind(QStringLiteral(":booking"), bookingId).exec(); !s)
        return s.error();
    if (!q.next())
        return std::optional<Review>();
    return std::optional<Review>(readReview(q));
}

} // namespace sb::store
