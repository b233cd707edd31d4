#pragma once

#include "attachment.h"
#include "enums.h"
#include "ticketmessage.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace sb {

struct TicketSla
{
    QDateTime firstResponseDueAt;
    QDateTime resolutionDueAt;
    QDateTime firstResponseAt;
    QDateTime resolvedAt;
    bool firstResponseBreached = false;
    bool resolutionBreached = false;
    qint64 pausedSeconds = 0; // business seconds spent in `pending`
    QDateTime pausedSince; // set while the ticket is `pending`

    bool operator==(const TicketSla &) const = default;
};

struct TicketEscalation
{
    QString escalatedTo;
    QString escalatedBy;
    QString reason;
    QDateTime escalatedAt;

    bool operator==(const TicketEscalation &) const = default;
};

struct TicketResolution
{
    QString summary;
    ResolutionType resolutionType = ResolutionType::Solved;
    QString resolutionNotes;
    QString resolvedBy;
    QDateTime resolvedAt;

    bool operator==(const TicketResolution &) const = default;
};

struct TicketSatisfaction
{
    int rating = 0; // 1..5
    QString comment;
    QDateTime ratedAt;

    bool operator==(const TicketSatisfaction &) const = default;
};

struct Ticket
{
    QString id;
    QString ticketNumber; // TKT-000042
    QString subject;
    QString description;
    TicketCategory category = TicketCategory::Other;
    TicketPriority priority = TicketPriority::Medium;
    TicketStatus status = TicketStatus::Open;
    QString customerId;
    QString assignedTo; // null when unassigned
    QString relatedBooking; // null when none
    QString conversationId; // null when none
    QList<TicketMessage> messages;
    QList<Attachment> attachments;
    TicketSla sla;
    std::optional<TicketSatisfaction> satisfaction;
    std::optional<TicketEscalation> escalation;
    std::optional<TicketResolution> resolution;
    QDateTime createdAt;
    QDateTime updatedAt;
    int version = 1;

    bool operator==(const Ticket &) const = default;
};

} // namespace sb
