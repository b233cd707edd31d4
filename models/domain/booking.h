#pragma once

#include "enums.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <optional>

namespace sb {

// The spec's completionRequest sub-document, field for field (ids as strings).
struct CustomerResponse
{
    QDateTime respondedAt;
    std::optional<bool> approved;
    QString feedback;
    QString issues;

    bool operator==(const CustomerResponse &) const = default;
};

struct ContactAttempt
{
    ContactMethod method = ContactMethod::Call;
    QDateTime attemptedAt;
    bool reached = false;
    QString notes;

    bool operator==(const ContactAttempt &) const = default;
};

struct SupportFollowUp
{
    bool initiated = false;
    QDateTime initiatedAt;
    QString supportAgent;
    QList<ContactAttempt> contactAttempts;
    std::optional<FollowUpOutcome> outcome;
    QString completedBy;
    QDateTime completedAt;
    QString notes;

    bool operator==(const SupportFollowUp &) const = default;
};

struct CompletionRequest
{
    QString requestedBy;
    QDateTime requestedAt;
    CompletionStatus status = CompletionStatus::Pending;
    CustomerResponse customerResponse;
    SupportFollowUp supportFollowUp;
    QDateTime escalationDeadline;
    bool autoEscalated = false;
    bool reminderSent = false; // not in the wire shape: the reminder job's "sent once"

    bool operator==(const CompletionRequest &) const = default;
};

struct Review
{
    QString id;
    QString bookingId;
    QString customerId;
    QString technicianId;
    int rating = 0; // 1..5
    QString comment;
    QDateTime createdAt;

    bool operator==(const Review &) const = default;
};

struct Booking
{
    QString id;
    QString customerId;
    QString technicianId; // null until assigned
    QString service;
    QString description;
    QString address;
    QDateTime scheduledAt;
    BookingStatus status = BookingStatus::Pending;
    std::optional<CompletionRequest> completionRequest;
    std::optional<Review> review;
    QDateTime createdAt;
    QDateTime updatedAt;
    int version = 1;

    bool operator==(const Booking &) const = default;
};

} // namespace sb
