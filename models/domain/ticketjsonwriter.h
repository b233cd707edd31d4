#pragma once

#include "jsonwriter.h"
#include "ticket.h"

namespace sb {

// The shapes of ticketjson.cpp's toJson, written straight to bytes for the answers that carry
// many of them (a ticket with its messages, a page of tickets). Same keys, same bytes.
void writeJson(JsonWriter &out, const Attachment &attachment);
void writeJson(JsonWriter &out, const TicketMessage &message);

enum class TicketJsonParts {
    All,
    // A ticket in a list, which loads neither: no "messages" and no "attachments" key at all,
    // so that no client takes an absent list for an empty one.
    WithoutMessagesAndAttachments,
    // A ticket's change-log row: its messages travel as their own events.
    WithoutMessages,
};
void writeJson(JsonWriter &out, const Ticket &ticket, TicketJsonParts parts = TicketJsonParts::All);

} // namespace sb
