#pragma once

#include "enumcodec.h"

#include <utility>

namespace sb {

enum class Role { Customer, Technician, Support, Admin };
template<>
struct EnumTraits<Role>
{
    static constexpr std::pair<Role, const char *> table[] = {
        {Role::Customer, "customer"},
        {Role::Technician, "technician"},
        {Role::Support, "support"},
        {Role::Admin, "admin"},
    };
};

enum class Availability { Online, Away, Offline };
template<>
struct EnumTraits<Availability>
{
    static constexpr std::pair<Availability, const char *> table[] = {
        {Availability::Online, "online"},
        {Availability::Away, "away"},
        {Availability::Offline, "offline"},
    };
};

enum class TicketStatus { Open, Assigned, InProgress, Pending, Resolved, Closed };
template<>
struct EnumTraits<TicketStatus>
{
    static constexpr std::pair<TicketStatus, const char *> table[] = {
        {TicketStatus::Open, "open"},
        {TicketStatus::Assigned, "assigned"},
        {TicketStatus::InProgress, "in_progress"},
        {TicketStatus::Pending, "pending"},
        {TicketStatus::Resolved, "resolved"},
        {TicketStatus::Closed, "closed"},
    };
};

enum class TicketPriority { Low, Medium, High, Urgent };
template<>
struct EnumTraits<TicketPriority>
{
    static constexpr std::pair<TicketPriority, const char *> table[] = {
        {TicketPriority::Low, "low"},
        {TicketPriority::Medium, "medium"},
        {TicketPriority::High, "high"},
        {TicketPriority::Urgent, "urgent"},
    };
};

enum class TicketCategory {
    Account,
    Booking,
    Payment,
    Technical,
    Billing,
    Complaint,
    ServiceQuality,
    Other
};
template<>
struct EnumTraits<TicketCategory>
{
    static constexpr std::pair<TicketCategory, const char *> table[] = {
        {TicketCategory::Account, "account"},
        {TicketCategory::Booking, "booking"},
        {TicketCategory::Payment, "payment"},
        {TicketCategory::Technical, "technical"},
        {TicketCategory::Billing, "billing"},
        {TicketCategory::Complaint, "complaint"},
        {TicketCategory::ServiceQuality, "service_quality"},
        {TicketCategory::Other, "other"},
    };
};

enum class ResolutionType { Solved, Workaround, Duplicate, NoResponse, WontFix, Other };
template<>
struct EnumTraits<ResolutionType>
{
    static constexpr std::pair<ResolutionType, const char *> table[] = {
        {ResolutionType::Solved, "solved"},       {ResolutionType::Workaround, "workaround"},
        {ResolutionType::Duplicate, "duplicate"}, {ResolutionType::NoResponse, "no_response"},
        {ResolutionType::WontFix, "wont_fix"},    {ResolutionType::Other, "other"},
    };
};

enum class BookingStatus {
    Pending,
    Confirmed,
    InProgress,
    Completed,
    Verified,
    Disputed,
    Cancelled
};
template<>
struct EnumTraits<BookingStatus>
{
    static constexpr std::pair<BookingStatus, const char *> table[] = {
        {BookingStatus::Pending, "pending"},        {BookingStatus::Confirmed, "confirmed"},
        {BookingStatus::InProgress, "in_progress"}, {BookingStatus::Completed, "completed"},
        {BookingStatus::Verified, "verified"},      {BookingStatus::Disputed, "disputed"},
        {BookingStatus::Cancelled, "cancelled"},
    };
};

// completionRequest.status of the spec
enum class CompletionStatus { Pending, Approved, Rejected, Escalated, AutoApproved };
template<>
struct EnumTraits<CompletionStatus>
{
    static constexpr std::pair<CompletionStatus, const char *> table[] = {
        {CompletionStatus::Pending, "pending"},
        {CompletionStatus::Approved, "approved"},
        {CompletionStatus::Rejected, "rejected"},
        {CompletionStatus::Escalated, "escalated"},
        {CompletionStatus::AutoApproved, "auto_approved"},
    };
};

enum class ContactMethod { Call, Sms, Email, InApp };
template<>
struct EnumTraits<ContactMethod>
{
    static constexpr std::pair<ContactMethod, const char *> table[] = {
        {ContactMethod::Call, "call"},
        {ContactMethod::Sms, "sms"},
        {ContactMethod::Email, "email"},
        {ContactMethod::InApp, "in_app"},
    };
};

enum class FollowUpOutcome { CustomerConfirmed, CustomerDisputed, Unreachable, AutoCompleted };
template<>
struct EnumTraits<FollowUpOutcome>
{
    static constexpr std::pair<FollowUpOutcome, const char *> table[] = {
        {FollowUpOutcome::CustomerConfirmed, "customer_confirmed"},
        {FollowUpOutcome::CustomerDisputed, "customer_disputed"},
        {FollowUpOutcome::Unreachable, "unreachable"},
        {FollowUpOutcome::AutoCompleted, "auto_completed"},
    };
};

enum class ConversationStatus { Open, Closed };
template<>
struct EnumTraits<ConversationStatus>
{
    static constexpr std::pair<ConversationStatus, const char *> table[] = {
        {ConversationStatus::Open, "open"},
        {ConversationStatus::Closed, "closed"},
    };
};

// One per workflow stage of spec §4, plus the ticket events an agent or customer is told of.
enum class NotificationType {
    CompletionRequested,
    CompletionReminder,
    CompletionApproved,
    CompletionRejected,
    CompletionEscalated,
    FollowUpOutcome,
    AutoCompleted,
    ReviewRequested,
    ReviewReceived,
    TicketCreated,
    TicketAssigned,
    TicketReply,
    TicketStatusChanged,
    TicketEscalated
};
template<>
struct EnumTraits<NotificationType>
{
    static constexpr std::pair<NotificationType, const char *> table[] = {
        {NotificationType::CompletionRequested, "completion_requested"},
        {NotificationType::CompletionReminder, "completion_reminder"},
        {NotificationType::CompletionApproved, "completion_approved"},
        {NotificationType::CompletionRejected, "completion_rejected"},
        {NotificationType::CompletionEscalated, "completion_escalated"},
        {NotificationType::FollowUpOutcome, "followup_outcome"},
        {NotificationType::AutoCompleted, "auto_completed"},
        {NotificationType::ReviewRequested, "review_requested"},
        {NotificationType::ReviewReceived, "review_received"},
        {NotificationType::TicketCreated, "ticket_created"},
        {NotificationType::TicketAssigned, "ticket_assigned"},
        {NotificationType::TicketReply, "ticket_reply"},
        {NotificationType::TicketStatusChanged, "ticket_status_changed"},
        {NotificationType::TicketEscalated, "ticket_escalated"},
    };
};

enum class ChangeOp { Created, Updated, Deleted };
template<>
struct EnumTraits<ChangeOp>
{
    static constexpr std::pair<ChangeOp, const char *> table[] = {
        {ChangeOp::Created, "created"},
        {ChangeOp::Updated, "updated"},
        {ChangeOp::Deleted, "deleted"},
    };
};

} // namespace sb
