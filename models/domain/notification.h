#pragma once

#include "enums.h"

#include <QDateTime>
#include <QString>

namespace sb {

struct Notification
{
    QString id;
    QString userId;
    NotificationType type = NotificationType::TicketCreated;
    QString title;
    QString body;
    QString entity; // "ticket", "booking", ...
    QString entityId;
    bool read = false;
    QDateTime createdAt;

    bool operator==(const Notification &) const = default;
};

} // namespace sb
