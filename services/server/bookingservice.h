#pragma once

#include "caller.h"

#include <domain/booking.h>
#include <domain/change.h>
#include <domain/result.h>
#include <store/bookingrepository.h>

#include <QSqlDatabase>

#include <functional>
#include <optional>

namespace sb::server {

struct ServerContext;

struct NewBooking
{
    QString service;
    QString description;
    QString address;
    QDateTime scheduledAt;
};

// Changes a loaded booking in memory and may write what goes with it (notifications, a ticket,
// a contact attempt) in the same transaction. It runs inside BookingService::modify.
using BookingEdit = std::function<Status(Booking &booking, QSqlDatabase &db)>;

// A booking action that needs the booking in `from` and moves it to `to`: otherwise 409
// invalid_transition with details {from, to, required, allowed}.
Status checkBookingAction(const Booking &booking, BookingStatus from, BookingStatus to);

// The change-log row of a booking: the booking itself, for its customer and its technician
// (and the agents).
Change bookingChange(const Booking &booking, ChangeOp op);

// Bookings (DESIGN.md "REST conventions"): create, list, get, assign a technician, start.
// Every write is one transaction with its change-log row. Who may see a booking is decided by
// authz::canSeeBooking (404 otherwise); the routes' roles say who may call at all (403).
class BookingService
{
public:
    explicit BookingService(ServerContext &context)
        : m_context(context)
    { }

    Result<Booking> create(const NewBooking &input, const Caller &caller);
    // A customer's list is restricted to its own bookings, a technician's to those assigned to
    // it (naming anyone else is 400).
    Result<store::BookingPage> list(store::BookingFilter filter, const Caller &caller) const;
    Result<Booking> find(const QString &id, const Caller &caller) const;
    // Support/admin: gives the booking to an active technician; pending becomes confirmed.
    Result<Booking> assign(const QString &id, const QString &technicianId,
                           std::optional<int> expectedVersion, const Caller &caller);
    // The assigned technician: confirmed -> in_progress.
    Result<Booking> start(const QString &id, const Caller &caller);

    // Loads the booking the caller may see, checks If-Match (412 when stale), applies edit, and
    // saves it (updatedAt = now, version + 1) with its change-log row, in one transaction.
    // Without If-Match a race lost to another writer is retried on the new version.
    Result<Booking> modify(const QString &id, const Caller &caller,
                           std::optional<int> expectedVersion, const BookingEdit &edit);

    QDateTime now() const; // business time
    ServerContext &context() const { return m_context; }

    // The booking with only the contact attempts of its current completion request: attempts
    // logged for an earlier request (rejected late, then requested again) are history.
    static Result<std::optional<Booking>> load(QSqlDatabase &db, const QString &id);
    static void dropEarlierAttempts(Booking &booking);
    Status record(QSqlDatabase &db, const Booking &booking, ChangeOp op) const;

private:
    ServerContext &m_context;
};

} // namespace sb::server
