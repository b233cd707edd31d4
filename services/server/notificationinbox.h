#pragma once

#include "caller.h"

#include <domain/notification.h>
#include <domain/result.h>
#include <store/notificationrepository.h>

namespace sb::server {

struct ServerContext;

// The caller's own in-app notifications: GET /notifications and POST /notifications/:id/read.
// Another user's notification is not_found, never a hint that it exists.
class NotificationInbox
{
public:
    explicit NotificationInbox(ServerContext &context)
        : m_context(context)
    { }

    Result<store::NotificationPage> list(const Caller &caller,
                                         const store::NotificationFilter &filter) const;
    // Marks it read (already read: unchanged, nothing recorded) and answers it.
    Result<Notification> markRead(const Caller &caller, const QString &id);

private:
    ServerContext &m_context;
};

} // namespace sb::server
