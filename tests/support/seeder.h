#pragma once

#include <domain/booking.h>
#include <domain/ticket.h>
#include <domain/user.h>
#include <store/database.h>

#include <QDateTime>

#include <functional>

namespace sb::test {

// Makes the rows a test stands on, so that the test reads as behaviour: seed.customer(),
// seed.ticket(customer.id, [](Ticket &t) { t.priority = TicketPriority::High; }).
// Rows are written through the repositories, each in its own transaction. Every row gets a
// distinct creation time, one second after the one before, from a fixed start (start()), so
// that orders by time are deterministic. A failure is recorded as a failure of the running test
// function (QTest::qFail) and answers an empty value.
class Seeder
{
public:
    explicit Seeder(store::Database &db,
                    const QDateTime &start = QDateTime(QDate(2026, 1, 5), QTime(9, 0), Qt::UTC));

    QDateTime start() const { return m_start; }
    // The creation time the next row will get.
    QDateTime nextTime() const { return m_start.addSecs(m_rows); }

    User user(Role role, const QString &name = {});
    User customer(const QString &name = {}) { return user(Role::Customer, name); }
    User agent(const QString &name = {}) { return user(Role::Support, name); }
    User admin(const QString &name = {}) { return user(Role::Admin, name); }
    User technician(const QString &name = {}) { return user(Role::Technician, name); }

    Booking booking(const QString &customerId, const std::function<void(Booking &)> &tweak = {});
    // A completed booking whose completion request, made at requestedAt, waits for the customer
    // until `hours` later (the request-completion route's state, written straight in).
    Booking awaitingCompletion(const QString &customerId, const QString &technicianId,
                               const QDateTime &requestedAt, double hours = 48);
    Ticket ticket(const QString &customerId, const std::function<void(Ticket &)> &tweak = {});

private:
    QDateTime takeTime();

    store::Database &m_db;
    QDateTime m_start;
    int m_rows = 0;
};

} // namespace sb::test
