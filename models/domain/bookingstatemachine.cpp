#include "bookingstatemachine.h"

#include "transitiontable.h"

#include <QtGlobal>

namespace sb {

namespace {
using B = BookingStatus;
constexpr std::pair<B, B> bookingMoves[] = {
    {B::Pending, B::Confirmed},   {B::Pending, B::Cancelled},    {B::Confirmed, B::InProgress},
    {B::Confirmed, B::Cancelled}, {B::InProgress, B::Completed}, {B::InProgress, B::Cancelled},
    {B::Completed, B::Verified},  {B::Completed, B::Disputed},   {B::Completed, B::InProgress},
};

using C = CompletionStatus;
constexpr std::pair<C, C> completionMoves[] = {
    {C::Pending, C::Approved},       {C::Pending, C::Rejected},   {C::Pending, C::Escalated},
    {C::Escalated, C::Escalated},    {C::Escalated, C::Approved}, {C::Escalated, C::Rejected},
    {C::Escalated, C::AutoApproved},
};
} // namespace

bool canMoveBooking(BookingStatus from, BookingStatus to)
{
    return hasMove(bookingMoves, from, to);
}

QList<BookingStatus> allowedBookingMoves(BookingStatus from)
{
    return movesFrom(bookingMoves, from);
}

Status checkBookingMove(BookingStatus from, BookingStatus to)
{
    return checkMove(QStringLiteral("booking"), bookingMoves, from, to, canMoveBooking(from, to));
}

bool canMoveCompletion(CompletionStatus from, CompletionStatus to)
{
    return hasMove(completionMoves, from, to);
}

QList<CompletionStatus> allowedCompletionMoves(CompletionStatus from)
{
    return movesFrom(completionMoves, from);
}

Status checkCompletionMove(CompletionStatus from, CompletionStatus to)
{
    return checkMove(QStringLiteral("completion request"), completionMoves, from, to,
                     canMoveCompletion(from, to));
}

BookingStatus bookingStatusForOutcome(FollowUpOutcome outcome)
{
    switch (outcome) {
    case FollowUpOutcome::CustomerConfirmed:
    case FollowUpOutcome::Unreachable:
    case FollowUpOutcome::AutoCompleted:
        return BookingStatus::Verified;
    case FollowUpOutcome::CustomerDisputed:
        return BookingStatus::Disputed;
    }
    Q_UNREACHABLE();
    return BookingStatus::Disputed;
}

CompletionStatus completionStatusForOutcome(FollowUpOutcome outcome)
{
    switch (outcome) {
    case FollowUpOutcome::CustomerConfirmed:
        return CompletionStatus::Approved;
    case FollowUpOutcome::CustomerDisputed:
        return CompletionStatus::Rejected;
    case FollowUpOutcome::Unreachable:
    case FollowUpOutcome::AutoCompleted:
        return CompletionStatus::AutoApproved;
    }
    Q_UNREACHABLE();
    return CompletionStatus::Rejected;
}

} // namespace sb
