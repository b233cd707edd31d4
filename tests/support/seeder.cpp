#include "seeder.h"

#include <store/bookingrepository.h>
#include <store/ticketrepository.h>
#include <store/userrepository.h>

#include <QtTest/QTest>

namespace sb::test {

namespace {

template<typename T>
T orFail(Result<T> result, const char *what)
{
    if (result)
        return std::move(result).value();
    QTest::qFail(
        qPrintable(QStringLiteral("seeding %1 failed: %2 %3")
                       .arg(QLatin1StringView(what), result.error().code, result.error().message)),
        __FILE__, __LINE__);
    return T {};
}

} // namespace

Seeder::Seeder(store::Database &db, const QDateTime &start)
    : m_db(db)
    , m_start(start)
{ }

QDateTime Seeder::takeTime()
{
    return m_start.addSecs(m_rows++);
}

User Seeder::user(Role role, const QString &name)
{
    User u;
    const int n = m_rows;
    u.role = role;
    u.name = name.isEmpty() ? QStringLiteral("%1 %2").arg(toString(role)).arg(n) : name;
    u.email = QStringLiteral("%1.%2@example.test").arg(toString(role)).arg(n);
    u.createdAt = takeTime();
    if (u.isAgent())
        u.availability = Availability::Online;
    return orFail(m_db.transaction([&](QSqlDatabase &db) {
        // A hash of nothing: seeded users never sign in with a password.
        return store::UserRepository(db).insert(u, QStringLiteral("x"));
    }),
                  "user");
}

Booking Seeder::booking(const QString &customerId, const std::function<void(Booking &)> &tweak)
{
    Booking b;
    b.customerId = customerId;
    b.service = QStringLiteral("Plumbing");
    b.description = QStringLiteral("Leaking tap");
    b.address = QStringLiteral("1 Main Street");
    b.createdAt = takeTime();
    b.updatedAt = b.createdAt;
    b.scheduledAt = b.createdAt.addDays(2);
    if (tweak)
        tweak(b);
    return orFail(
        m_db.transaction([&](QSqlDatabase &db) { return store::BookingRepository(db).insert(b); }),
        "booking");
}

Booking Seeder::awaitingCompletion(const QString &customerId, const QString &technicianId,
                                   const QDateTime &requestedAt, double hours)
{
    return booking(customerId, [&](Booking &b) {
        b.technicianId = technicianId;
        b.status = BookingStatus::Completed;
        CompletionRequest request;
        request.requestedBy = technicianId;
        request.requestedAt = requestedAt;
        request.escalationDeadline = requestedAt.addMSecs(qint64(hours * 3600 * 1000));
        b.completionRequest = request;
    });
}

Ticket Seeder::ticket(const QString &customerId, const std::function<void(Ticket &)> &tweak)
{
    Ticket t;
    t.customerId = customerId;
    t.subject = QStringLiteral("Cannot pay");
    t.description = QStringLiteral("The payment page fails");
    t.category = TicketCategory::Payment;
    t.createdAt = takeTime();
    t.updatedAt = t.createdAt;
    if (tweak)
        tweak(t);
    return orFail(
        m_db.transaction([&](QSqlDatabase &db) { return store::TicketRepository(db).insert(t); }),
        "ticket");
}

} // namespace sb::test
