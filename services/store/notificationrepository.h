#pragma once

#include <domain/notification.h>
#include <domain/result.h>

#include <QSqlDatabase>

#include <optional>

namespace sb::store {

struct NotificationFilter
{
    bool unreadOnly = false;
    int limit = 50;
    int offset = 0;
};

struct NotificationPage
{
    QList<Notification> items; // newest first
    qint64 total = 0; // matching the filter
    qint64 unread = 0; // of the user, whatever the filter
};

// In-app notifications, one row per recipient.
class NotificationRepository
{
public:
    explicit NotificationRepository(const QSqlDatabase &db)
        : m_db(db)
    { }

    // Assigns id when empty.
    Result<Notification> insert(const Notification &notification);
    // The same for many, in a few multi-row statements; assigns the ids that are empty.
    Status insertAll(QList<Notification> &notifications);
    // nullopt when the user has no such notification (another user's included).
    Result<std::optional<Notification>> findForUser(const QString &id, const QString &userId) const;
    Result<NotificationPage> listForUser(const QString &userId,
                                         const NotificationFilter &filter) const;
    // Error "not_found" when the user has no such notification (another user's included);
    // answers whether it changed (false when already read).
    Result<bool> markRead(const QString &id, const QString &userId);

private:
    QSqlDatabase m_db;
};

} // namespace sb::store
