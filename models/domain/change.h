#pragma once

#include "enums.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

namespace sb {

// One row of the change log: what /sync/changes answers and what the WebSocket hub pushes.
// The audience fields decide who may see it (DESIGN.md "Real-time").
struct Change
{
    qint64 seq = 0;
    QString entity; // ticket | message | conversation | booking | notification | user
    QString entityId;
    ChangeOp op = ChangeOp::Created;
    QJsonObject data;
    // Or `data` already written as compact JSON (JsonWriter), `data` then left empty: a job
    // writes thousands of rows that no socket may ever read. Read either through dataOf().
    QByteArray dataJson;
    QString customerId; // the customer this concerns, empty when none
    QString technicianId; // the technician this concerns, empty when none
    QString userId; // set for a change meant for one user only (a notification)
    bool internal = false; // agents only (an internal note)
    QDateTime createdAt;

    bool operator==(const Change &) const = default;
};

inline QJsonObject dataOf(const Change &change)
{
    return change.dataJson.isEmpty() ? change.data
                                     : QJsonDocument::fromJson(change.dataJson).object();
}

} // namespace sb
