#include "notificationrepository.h"

#include "ids.h"
#include "sqlquery.h"

namespace sb::store {

namespace {

const QString kColumns
    = QStringLiteral("id, user_id, type, title, body, entity, entity_id, is_read, created_at");

const RowValues kRow({QStringLiteral(":id"), QStringLiteral(":user"), QStringLiteral(":type"),
                      QStringLiteral(":title"), QStringLiteral(":body"), QStringLiteral(":entity"),
                      QStringLiteral(":entityId"), QStringLiteral(":read"),
                      QStringLiteral(":created")});

void bindNotification(RowBinder q, const Notification &n)
{
    q.bind(QStringLiteral(":id"), n.id)
        .bind(QStringLiteral(":user"), n.userId)
        .bind(QStringLiteral(":type"), toString(n.type))
        .bind(QStringLiteral(":title"), n.title)
        .bind(QStringLiteral(":body"), n.body)
        .bind(QStringLiteral(":entity"), dbRef(n.entity))
        .bind(QStringLiteral(":entityId"), dbRef(n.entityId))
        .bind(QStringLiteral(":read"), n.read)
        .bind(QStringLiteral(":created"), dbTime(n.createdAt));
}

Notification readNotification(const SqlQuery &q)
{
    Notification n;
    n.id = q.value(0).toString();
    n.userId = q.value(1).toString();
    n.type = parseEnum<NotificationType>(q.value(2).toString()).value_or(n.type);
    n.title = q.value(3).toString();
    n.body = q.value(4).toString();
    n.entity = fromDbRef(q.value(5));
    n.entityId = fromDbRef(q.value(6));
    n.read = q.value(7).toBool();
    n.createdAt = fromDbTime(q.value(8));
    return n;
}

} // namespace

Result<Notification> NotificationRepository::insert(const Notification &notification)
{
    QList<Notification> one {notification};
    if (Status s = insertAll(one); !s)
        return s.error();
    return one.first();
}

Status NotificationRepository::insertAll(QList<Notification> &notifications)
{
    return kRow.insert(m_db,
                       QStringLiteral("INSERT INTO notifications (id, user_id, type, title, body, "
                                      "entity, entity_id, is_read, created_at) VALUES "),
                       QString(), notifications.size(), [&](RowBinder row, qsizetype index) {
                           Notification &n = notifications[index];
                           if (n.id.isEmpty())
                               n.id = newId();
                           bindNotification(row, n);
                       });
}

Result<std::optional<Notification>> NotificationRepository::findForUser(const QString &id,
                                                                        const QString &userId) const
{
    SqlQuery q(m_db,
               u"SELECT " + kColumns + u" FROM notifications WHERE id = :id AND user_id = :user");
    q.bind(QStringLiteral(":id"), id).bind(QStringLiteral(":user"), userId);
    if (Status s = q.exec(); !s)
        return s.error();
    if (!q.next())
        return std::optional<Notification>();
    return std::optional<Notification>(readNotification(q));
}

Result<NotificationPage> NotificationRepository::listForUser(const QString &userId,
                                                             const NotificationFilter &filter) const
{
    // Both counts in one pass over the user's rows.
    SqlQuery count(m_db,
                   QStringLiteral("SELECT COUNT(*), SUM(CASE WHEN is_read = FALSE THEN 1 ELSE 0 "
                                  "END) FROM notifications WHERE user_id = :user"));
    if (Status s = count.bind(QStringLiteral(":user"), userId).exec(); !s || !count.next())
        return storageError();
    NotificationPage page;
    page.unread = count.value(1).toLongLong();
    page.total = filter.unreadOnly ? page.unread : count.value(0).toLongLong();

    SqlQuery q(m_db,
               u"SELECT " + kColumns + u" FROM notifications WHERE user_id = :user"
                   + (filter.unreadOnly ? QStringLiteral(" AND is_read = FALSE") : QString())
                   + u" ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset");
    q.bind(QStringLiteral(":user"), userId)
        .bind(QStringLiteral(":limit"), filter.limit)
        .bind(QStringLiteral(":offset"), filter.offset);
    if (Status s = q.exec(); !s)
        return s.error();
    while (q.next())
        page.items << readNotification(q);
    return page;
}

Result<bool> NotificationRepository::markRead(const QString &id, const QString &userId)
{
    SqlQuery q(m_db,
               QStringLiteral("UPDATE notifications SET is_read = TRUE "
                              "WHERE id = :id AND user_id = :user AND is_read = FALSE"));
    q.bind(QStringLiteral(":id"), id).bind(QStringLiteral(":user"), userId);
    if (Status s = q.exec(); !s)
        return s.error();
    if (q.rowsAffected() > 0)
        return true;
    SqlQuery exists(
        m_db, QStringLiteral("SELECT 1 FROM notifications WHERE id = :id AND user_id = :user"));
    exists.bind(QStringLiteral(":id"), id).bind(QStringLiteral(":user"), userId);
    if (Status s = exists.exec(); !s)
        return s.error();
    if (!exists.next())
        return Error::make(QStringLiteral("not_found"), QStringLiteral("No such notification."));
    return false;
}

} // namespace sb::store
