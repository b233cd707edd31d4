#pragma once

#include "access.h"
#include "caller.h"

#include <domain/booking.h>
#include <domain/conversation.h>
#include <domain/ticket.h>

namespace sb::server {

// Ownership, decided in one place for every route. Roles per route are in Access (403); these
// say whether a caller may see one resource, and a resource it may not see is answered 404,
// never a hint that it exists (DESIGN.md "REST conventions").
//
// - Agents (support, admin) see every ticket, conversation and booking, internal notes too.
// - A customer sees its own tickets, conversations and bookings, never an internal note.
// - A technician sees the bookings assigned to it; tickets and conversations are between
//   customers and support, so the ticket routes are closed to technicians (403).
namespace authz {

inline bool canSeeTicket(const Caller &caller, const Ticket &ticket)
{
    return caller.isAgent()
        || (caller.role() == Role::Customer && ticket.customerId == caller.id());
}

inline bool canSeeInternalNotes(const Caller &caller)
{
    return caller.isAgent();
}

inline bool canSeeConversation(const Caller &caller, const Conversation &conversation)
{
    return caller.isAgent()
        || (caller.role() == Role::Customer && conversation.customerId == caller.id());
}

inline bool canSeeBooking(const Caller &caller, const Booking &booking)
{
    switch (caller.role()) {
    case Role::Support:
    case Role::Admin:
        return true;
    case Role::Customer:
        return booking.customerId == caller.id();
    case Role::Technician:
        return !booking.technicianId.isEmpty() && booking.technicianId == caller.id();
    }
    return false;
}

} // namespace authz

// The roles that may use the ticket and conversation routes at all.
inline Access ticketUsers()
{
    return Access::only({Role::Customer, Role::Support, Role::Admin});
}

} // namespace sb::server
