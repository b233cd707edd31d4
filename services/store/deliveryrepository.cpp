#include "deliveryrepository.h"

#include "ids.h"
#include "queryplan.h"
#include "sqlquery.h"

#include <algorithm>
#include <tuple>

namespace sb::store {

namespace {

const QString kColumns = QStringLiteral(
    "id, notification_id, user_id, channel, recipient, subject, body, status, attempts, "
    "next_attempt_at, last_error, created_at, sent_at");

// Due, pending, and held by nobody (or by an owner whose lease ran out).
const QString kDue = QStringLiteral(
    "SELECT id FROM notification_deliveries WHERE status = 'pending' AND next_attempt_at <= :now "
    "AND channel = :channel AND (locked_until IS NULL OR locked_until <= :now) "
    "ORDER BY next_attempt_at, id LIMIT :limit");

// Qt binds a null QString as NULL; these columns are NOT NULL, possibly empty (an SMS's subject).
QString text(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

NotificationDelivery readDelivery(const SqlQuery &q)
{
    NotificationDelivery d;
    d.id = q.value(0).toString();
    d.notificationId = fromDbRef(q.value(1));
    d.userId = q.value(2).toString();
    d.channel = q.value(3).toString() == u"sms" ? DeliveryChannel::Sms : DeliveryChannel::Email;
    d.recipient = q.value(4).toString();
    d.subject = q.value(5).toString();
    d.body = q.value(6).toString();
    const QString status = q.value(7).toString();
    d.status = status == u"sent" ? DeliveryStatus::Sent
        : status == u"failed"    ? DeliveryStatus::Failed
                                 : DeliveryStatus::Pending;
    d.attempts = q.value(8).toInt();
    d.nextAttemptAt = fromDbTime(q.value(9));
    d.lastError = q.value(10).toString();
    d.createdAt = fromDbTime(q.value(11));
    d.sentAt = fromDbTime(q.value(12));
    return d;
}

QString claimSql(Dialect dialect)
{
    if (dialect == Dialect::Postgres) {
        // The CTE's row locks make a concurrent claimer skip these rows, rather than wait for
        // them and then claim them as well.
        return u"WITH due AS (" + kDue
            + u" FOR UPDATE SKIP LOCKED) UPDATE notification_deliveries d SET locked_by = :owner, "
              u"locked_until = :until FROM due WHERE d.id = due.id RETURNING d.id, "
              u"d.notification_id, d.user_id, d.channel, d.recipient, d.subject, d.body, "
              u"d.status, d.attempts, d.next_attempt_at, d.last_error, d.created_at, d.sent_at";
    }
    return u"UPDATE notification_deliveries SET locked_by = :owner, locked_until = :until "
           u"WHERE id IN ("
        + kDue + u") RETURNING " + kColumns;
}

} // namespace

QString toString(DeliveryChannel channel)
{
    return channel == DeliveryChannel::Sms ? QStringLiteral("sms") : QStringLiteral("email");
}

QString toString(DeliveryStatus status)
{
    switch (status) {
    case DeliveryStatus::Sent:
        return QStringLiteral("sent");
    case DeliveryStatus::Failed:
        return QStringLiteral("failed");
    case DeliveryStatus::Pending:
        break;
    }
    return QStringLiteral("pending");
}

Result<NotificationDelivery> DeliveryRepository::enqueue(const NotificationDelivery &delivery)
{
    QList<NotificationDelivery> one {delivery};
    if (Status s = enqueueAll(one); !s)
        return s.error();
    return one.first();
}

Status DeliveryRepository::enqueueAll(QList<NotificationDelivery> &deliveries)
{
    static const RowValues values(
        {QStringLiteral(":id"), QStringLiteral(":notification"), QStringLiteral(":user"),
         QStringLiteral(":channel"), QStringLiteral(":recipient"), QStringLiteral(":subject"),
         QStringLiteral(":body"), QStringLiteral(":status"), QStringLiteral(":attempts"),
         QStringLiteral(":next"), QStringLiteral(":created")});
    return values.insert(
        m_db,
        QStringLiteral(
            "INSERT INTO notification_deliveries (id, notification_id, user_id, channel, "
            "recipient, subject, body, status, attempts, next_attempt_at, created_at) "
            "VALUES "),
        QString(), deliveries.size(), [&](RowBinder row, qsizetype index) {
            NotificationDelivery &d = deliveries[index];
            if (d.id.isEmpty())
                d.id = newId();
            d.status = DeliveryStatus::Pending;
            if (!d.nextAttemptAt.isValid())
                d.nextAttemptAt = d.createdAt;
            row.bind(QStringLiteral(":id"), d.id)
                .bind(QStringLiteral(":notification"), dbRef(d.notificationId))
                .bind(QStringLiteral(":user"), d.userId)
                .bind(QStringLiteral(":channel"), toString(d.channel))
                .bind(QStringLiteral(":recipient"), text(d.recipient))
                .bind(QStringLiteral(":subject"), text(d.subject))
                .bind(QStringLiteral(":body"), text(d.body))
                .bind(QStringLiteral(":status"), toString(d.status))
                .bind(QStringLiteral(":attempts"), d.attempts)
                .bind(QStringLiteral(":next"), dbTime(d.nextAttemptAt))
                .bind(QStringLiteral(":created"), dbTime(d.createdAt));
        });
}

Result<QList<NotificationDelivery>> DeliveryRepository::claimDue(DeliveryChannel channel,
                                                                 const QDateTime &now, int limit,
                                                                 const QString &owner,
                                                                 qint64 leaseMs)
{
    SqlQuery q(m_db, claimSql(dialectOf(m_db)));
    q.bind(QStringLiteral(":owner"), owner)
        .bind(QStringLiteral(":until"), now.toMSecsSinceEpoch() + leaseMs)
        .bind(QStringLiteral(":now"), dbTime(now))
        .bind(QStringLiteral(":channel"), toString(channel))
        .bind(QStringLiteral(":limit"), limit);
    if (Status s = q.exec(); !s)
        return s.error();
    QList<NotificationDelivery> out;
    while (q.next())
        out << readDelivery(q);
    // RETURNING follows no ORDER BY.
    std::sort(out.begin(), out.end(), [](const auto &a, const auto &b) {
        return std::tie(a.nextAttemptAt, a.id) < std::tie(b.nextAttemptAt, b.id);
    });
    return out;
}

Result<bool> DeliveryRepository::markSent(const QString &id, const QString &owner,
                                          const QDateTime &sentAt)
{
    SqlQuery q(m_db,
               QStringLiteral("UPDATE notification_deliveries SET status = 'sent', sent_at = :at, "
                              "attempts = attempts + 1, last_error = NULL, locked_by = NULL, "
                              "locked_until = NULL WHERE id = :id AND locked_by = :owner "
                              "AND status = 'pending'"));
    q.bind(QStringLiteral(":at"), dbTime(sentAt))
        .bind(QStringLiteral(":id"), id)
        .bind(QStringLiteral(":owner"), owner);
    if (Status s = q.exec(); !s)
        return s.error();
    return q.rowsAffected() > 0;
}

Result<bool> DeliveryRepository::markFailed(const QString &id, const QString &owner,
                                            const std::optional<QDateTime> &nextAttemptAt,
                                            const QString &error)
{
    SqlQuery q(m_db,
               QStringLiteral("UPDATE notification_deliveries SET status = :status, "
                              "attempts = attempts + 1, next_attempt_at = COALESCE(:next, "
                              "next_attempt_at), last_error = :error, locked_by = NULL, "
                              "locked_until = NULL WHERE id = :id AND locked_by = :owner "
                              "AND status = 'pending'"));
    q.bind(QStringLiteral(":status"),
           toString(nextAttemptAt ? DeliveryStatus::Pending : DeliveryStatus::Failed))
        .bind(QStringLiteral(":next"), dbTime(nextAttemptAt.value_or(QDateTime())))
        .bind(QStringLiteral(":error"), error.left(500))
        .bind(QStringLiteral(":id"), id)
        .bind(QStringLiteral(":owner"), owner);
    if (Status s = q.exec(); !s)
        return s.error();
    return q.rowsAffected() > 0;
}

Status DeliveryRepository::release(const QString &owner)
{
    SqlQuery q(
        m_db,
        QStringLiteral("UPDATE notification_deliveries SET locked_by = NULL, "
                       "locked_until = NULL WHERE locked_by = :owner AND status = 'pending'"));
    return q.bind(QStringLiteral(":owner"), owner).exec();
}

Result<DeliveryCounts> DeliveryRepository::counts() const
{
    SqlQuery q(
        m_db,
        QStringLiteral("SELECT status, COUNT(*) FROM notification_deliveries GROUP BY status"));
    if (Status s = q.exec(); !s)
        return s.error();
    DeliveryCounts counts;
    while (q.next()) {
        const QString status = q.value(0).toString();
        const qint64 n = q.value(1).toLongLong();
        if (status == u"pending")
            counts.pending = n;
        else if (status == u"sent")
            counts.sent = n;
        else if (status == u"failed")
            counts.failed = n;
    }
    return counts;
}

Result<std::optional<NotificationDelivery>> DeliveryRepository::find(const QString &id) const
{
    SqlQuery q(m_db, u"SELECT " + kColumns + u" FROM notification_deliveries WHERE id = :id");
    if (Status s = q.bind(QStringLiteral(":id"), id).exec(); !s)
        return s.error();
    if (!q.next())
        return std::optional<NotificationDelivery>();
    return std::optional<NotificationDelivery>(readDelivery(q));
}

Result<QList<NotificationDelivery>>
DeliveryRepository::listForNotification(const QString &notificationId) const
{
    SqlQuery q(m_db,
               u"SELECT " + kColumns
                   + u" FROM notification_deliveries WHERE notification_id = :n "
                     u"ORDER BY channel, created_at, id");
    if (Status s = q.bind(QStringLiteral(":n"), notificationId).exec(); !s)
        return s.error();
    QList<NotificationDelivery> out;
    while (q.next())
        out << readDelivery(q);
    return out;
}

} // namespace sb::store
