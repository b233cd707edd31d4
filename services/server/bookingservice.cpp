#include "bookingservice.h"

#include "apierrors.h"
#include "authorizer.h"
#include "servercontext.h"

#include <domain/bookingstatemachine.h>
#include <domain/changejsonwriter.h>
#include <domain/jsoncodec.h>
#include <domain/transitiontable.h>
#include <store/userrepository.h>

namespace sb::server {

namespace {

constexpr int kMaxRetries = 3; // of a write that lost a race and has no If-Match

Error bookingNotFound()
{
    return errors::notFound(QStringLiteral("booking"));
}

Error staleVersion(int expected, int current)
{
    return Error::make(QStringLiteral("version_conflict"),
                       QStringLiteral("The booking was changed by someone else; reload it."),
                       {{QStringLiteral("expectedVersion"), expected},
                        {QStringLiteral("currentVersion"), current}});
}

// Only the caller itself may be named in a filter by a customer or a technician.
Status restrictTo(QString &filterValue, const QString &callerId, const QString &field)
{
    if (!filterValue.isEmpty() && filterValue != callerId)
        return errors::invalidField(field, QStringLiteral("may only name yourself"));
    filterValue = callerId;
    return {};
}

} // namespace

Status checkBookingAction(const Booking &booking, BookingStatus from, BookingStatus to)
{
    if (booking.status == from)
        return checkBookingMove(from, to);
    // The state machine may allow the move by another action (completed -> in_progress is a
    // rejection, not a start), so the refusal names the status this action needs.
    QStringList allowed;
    for (const BookingStatus s : allowedBookingMoves(booking.status))
        allowed << toString(s);
    Error e = transitionError(QStringLiteral("booking"), toString(booking.status), toString(to),
                              allowed);
    e.message = QStringLiteral("This needs a %1 booking, and this one is %2.")
                    .arg(toString(from), toString(booking.status));
    e.details.insert(QStringLiteral("required"), toString(from));
    return e;
}

Change bookingChange(const Booking &booking, ChangeOp op)
{
    Change change;
    change.entity = QStringLiteral("booking");
    change.entityId = booking.id;
    change.op = op;
    JsonWriter out(2048);
    writeJson(out, booking);
    change.dataJson = out.take();
    change.customerId = booking.customerId;
    change.technicianId = booking.technicianId;
    change.createdAt = booking.updatedAt;
    return change;
}

QDateTime BookingService::now() const
{
    return m_context.clock.now();
}

void BookingService::dropEarlierAttempts(Booking &booking)
{
    if (!booking.completionRequest)
        return;
    const QDateTime since = booking.completionRequest->requestedAt;
    QList<ContactAttempt> &attempts = booking.completionRequest->supportFollowUp.contactAttempts;
    attempts.removeIf([&](const ContactAttempt &a) { return a.attemptedAt < since; });
}

Result<std::optional<Booking>> BookingService::load(QSqlDatabase &db, const QString &id)
{
    auto found = store::BookingRepository(db).findById(id);
    if (found && *found)
        dropEarlierAttempts(**found);
    return found;
}

Status BookingService::record(QSqlDatabase &db, const Booking &booking, ChangeOp op) const
{
    const auto seq = m_context.changes.record(db, bookingChange(booking, op));
    return seq ? Status() : Status(seq.error());
}

Result<Booking> BookingService::create(const NewBooking &input, const Caller &caller)
{
    Booking b;
    b.customerId = caller.id();
    b.service = input.service;
    b.description = input.description;
    b.address = input.address;
    b.scheduledAt = input.scheduledAt;
    b.status = BookingStatus::Pending;
    b.createdAt = now();
    b.updatedAt = b.createdAt;
    if (b.scheduledAt <= b.createdAt)
        return errors::invalidField(QStringLiteral("scheduledAt"),
                                    QStringLiteral("must be in the future"));
    return m_context.db.transaction([&](QSqlDatabase &db) -> Result<Booking> {
        auto created = store::BookingRepository(db).insert(b);
        if (!created)
            return created;
        if (Status s = record(db, *created, ChangeOp::Created); !s)
            return s.error();
        return created;
    });
}

Result<store::BookingPage> BookingService::list(store::BookingFilter filter,
                                                const Caller &caller) const
{
    if (caller.role() == Role::Customer) {
        if (Status s = restrictTo(filter.customerId, caller.id(), QStringLiteral("customer")); !s)
            return s.error();
    } else if (caller.role() == Role::Technician) {
        if (Status s = restrictTo(filter.technicianId, caller.id(), QStringLiteral("technician"));
            !s)
            return s.error();
    }
    auto page = store::BookingRepository(m_context.db.connection()).list(filter);
    if (page) {
        for (Booking &b : page->items)
            dropEarlierAttempts(b);
    }
    return page;
}

Result<Booking> BookingService::find(const QString &id, const Caller &caller) const
{
    QSqlDatabase db = m_context.db.connection();
    const auto found = load(db, id);
    if (!found)
        return found.error();
    if (!*found || !authz::canSeeBooking(caller, **found))
        return bookingNotFound();
    return **found;
}

Result<Booking> BookingService::modify(const QString &id, const Caller &caller,
                                       std::optional<int> expectedVersion, const BookingEdit &edit)
{
    for (int attempt = 1;; ++attempt) {
        auto result = m_context.db.transaction([&](QSqlDatabase &db) -> Result<Booking> {
            const auto found = load(db, id);
            if (!found)
                return found.error();
            if (!*found || !authz::canSeeBooking(caller, **found))
                return bookingNotFound();
            Booking booking = **found;
            if (expectedVersion && *expectedVersion != booking.version)
                return staleVersion(*expectedVersion, booking.version);
            const int version = booking.version;
            if (Status s = edit(booking, db); !s)
                return s.error();
            booking.updatedAt = now();
            auto saved = store::BookingRepository(db).update(booking, version);
            if (!saved)
                return saved;
            if (Status s = record(db, *saved, ChangeOp::Updated); !s)
                return s.error();
            return saved;
        });
        // Without If-Match the caller asked for no precondition: a concurrent writer that
        // committed first is not its conflict, so the edit runs again on the new version (its
        // side writes were rolled back with the failed attempt).
        if (result || expectedVersion || attempt >= kMaxRetries
            || result.error().code != u"version_conflict")
            return result;
    }
}

Result<Booking> BookingService::assign(const QString &id, const QString &technicianId,
                                       std::optional<int> expectedVersion, const Caller &caller)
{
    return modify(id, caller, expectedVersion, [&](Booking &b, QSqlDatabase &db) -> Status {
        const auto user = store::UserRepository(db).findById(technicianId);
        if (!user)
            return user.error();
        if (!*user || !(*user)->active || (*user)->role != Role::Technician) {
            return errors::invalidField(QStringLiteral("technicianId"),
                                        QStringLiteral("must name an active technician"));
        }
        // Re-assigning keeps a confirmed booking confirmed; a booking already under way or
        // finished keeps its technician (its completion request names them).
        if (b.status != BookingStatus::Pending && b.status != BookingStatus::Confirmed) {
            Status refused
                = checkBookingAction(b, BookingStatus::Pending, BookingStatus::Confirmed);
            Error e = refused.error();
            e.message = QStringLiteral("A technician can be assigned to a pending or confirmed "
                                       "booking, and this one is %1.")
                            .arg(toString(b.status));
            return e;
        }
        b.status = BookingStatus::Confirmed;
        b.technicianId = technicianId;
        return {};
    });
}

Result<Booking> BookingService::start(const QString &id, const Caller &caller)
{
    return modify(id, caller, std::nullopt, [](Booking &b, QSqlDatabase &) -> Status {
        if (Status s = checkBookingAction(b, BookingStatus::Confirmed, BookingStatus::InProgress);
            !s)
            return s;
        b.status = BookingStatus::InProgress;
        return {};
    });
}

} // namespace sb::server
