#pragma once

#include <domain/result.h>

#include <QDateTime>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace sb::store {

enum class DeliveryChannel { Email, Sms };
enum class DeliveryStatus { Pending, Sent, Failed };

QString toString(DeliveryChannel channel);
QString toString(DeliveryStatus status);

// One e-mail or SMS of a notification, waiting in the store until it is sent (DESIGN.md
// "Notifications"). Its times are real time, not the business clock.
struct NotificationDelivery
{
    QString id;
    QString notificationId;
    QString userId;
    DeliveryChannel channel = DeliveryChannel::Email;
    QString recipient; // an e-mail address or a phone number
    QString subject; // e-mail only
    QString body;
    DeliveryStatus status = DeliveryStatus::Pending;
    int attempts = 0;
    QDateTime nextAttemptAt;
    QString lastError;
    QDateTime createdAt;
    QDateTime sentAt;
};

struct DeliveryCounts
{
    qint64 pending = 0;
    qint64 sent = 0;
    qint64 failed = 0;
};

// The delivery queue. Several server instances may share it: a delivery is claimed by one
// instance (the owner) for a lease, and only its owner can settle it.
class DeliveryRepository
{
public:
    explicit DeliveryRepository(const QSqlDatabase &db)
        : m_db(db)
    { }

    // Assigns id when empty; stored pending, due at nextAttemptAt (createdAt when unset).
    Result<NotificationDelivery> enqueue(const NotificationDelivery &delivery);
    // The same for many, in a few multi-row statements (a job's batch); sets each one's id.
    Status enqueueAll(QList<NotificationDelivery> &deliveries);

    // Claims up to `limit` pending deliveries of `channel` that are due at `now` and that no other
    // owner holds, for `owner` until now + leaseMs; answers them oldest due first. Run it in a
    // transaction: on PostgreSQL rows another instance is claiming are skipped (FOR UPDATE SKIP
    // LOCKED), so two instances never claim the same delivery; SQLite has one writer at a time.
    Result<QList<NotificationDelivery>> claimDue(DeliveryChannel channel, const QDateTime &now,
                                                 int limit, const QString &owner, qint64 leaseMs);

    // Settle a delivery `owner` still holds; false when it does not (its lease ran out and another
    // owner took it over): nothing is written then.
    Result<bool> markSent(const QString &id, const QString &owner, const QDateTime &sentAt);
    // Counts the attempt and records the error; the delivery is tried again at nextAttemptAt, or,
    // when that is nullopt, given up (status failed).
    Result<bool> markFailed(const QString &id, const QString &owner,
                            const std::optional<QDateTime> &nextAttemptAt, const QString &error);
    // Gives back every claim of `owner` (a server shutting down): due again at once.
    Status release(const QString &owner);

    Result<DeliveryCounts> counts() const;
    Result<std::optional<NotificationDelivery>> find(const QString &id) const;
    Result<QList<NotificationDelivery>> listForNotification(const QString &notificationId) const;

private:
    QSqlDatabase m_db;
};

} // namespace sb::store
