#include "ticketstatemachine.h"

#include "transitiontable.h"

namespace sb {

namespace {
using S = TicketStatus;
constexpr std::pair<S, S> ticketMoves[] = {
    {S::Open, S::Assigned},       {S::Assigned, S::InProgress}, {S::InProgress, S::Pending},
    {S::InProgress, S::Resolved}, {S::Pending, S::InProgress},  {S::Resolved, S::Closed},
    {S::Resolved, S::InProgress},
};
} // namespace

bool canMoveTicket(TicketStatus from, TicketStatus to)
{
    return from == to || hasMove(ticketMoves, from, to);
}

QList<TicketStatus> allowedTicketMoves(TicketStatus from)
{
    return movesFrom(ticketMoves, from);
}

Status checkTicketMove(TicketStatus from, TicketStatus to)
{
    return checkMove(QStringLiteral("ticket"), ticketMoves, from, to, canMoveTicket(from, to));
}

} // namespace sb
