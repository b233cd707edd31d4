// Keys in QJsonObject's order (sorted), so that the bytes equal QJsonDocument's.
#include "ticketjsonwriter.h"

#include "enumcodec.h"

namespace sb {

namespace {

using namespace Qt::StringLiterals;

template<typename T>
void writeArray(JsonWriter &out, const QList<T> &items)
{
    out.beginArray();
    for (const T &item : items)
        writeJson(out, item);
    out.endArray();
}

void writeSla(JsonWriter &out, const TicketSla &sla)
{
    out.beginObject();
    out.key("firstResponseAt"_L1).timeOrNull(sla.firstResponseAt);
    out.key("firstResponseBreached"_L1).boolean(sla.firstResponseBreached);
    out.key("firstResponseDueAt"_L1).timeOrNull(sla.firstResponseDueAt);
    out.key("pausedSeconds"_L1).integer(sla.pausedSeconds);
    out.key("pausedSince"_L1).timeOrNull(sla.pausedSince);
    out.key("resolutionBreached"_L1).boolean(sla.resolutionBreached);
    out.key("resolutionDueAt"_L1).timeOrNull(sla.resolutionDueAt);
    out.key("resolvedAt"_L1).timeOrNull(sla.resolvedAt);
    out.endObject();
}

void writeEscalation(JsonWriter &out, const std::optional<TicketEscalation> &escalation)
{
    writeOrNull(out, escalation, [&](const TicketEscalation &e) {
        out.key("escalatedAt"_L1).timeOrNull(e.escalatedAt);
        out.key("escalatedBy"_L1).idOrNull(e.escalatedBy);
        out.key("escalatedTo"_L1).idOrNull(e.escalatedTo);
        out.key("reason"_L1).string(e.reason);
    });
}

void writeResolution(JsonWriter &out, const std::optional<TicketResolution> &resolution)
{
    writeOrNull(out, resolution, [&](const TicketResolution &r) {
        out.key("resolutionNotes"_L1).string(r.resolutionNotes);
        out.key("resolutionType"_L1).string(wireName(r.resolutionType));
        out.key("resolvedAt"_L1).timeOrNull(r.resolvedAt);
        out.key("resolvedBy"_L1).idOrNull(r.resolvedBy);
        out.key("summary"_L1).string(r.summary);
    });
}

void writeSatisfaction(JsonWriter &out, const std::optional<TicketSatisfaction> &satisfaction)
{
    writeOrNull(out, satisfaction, [&](const TicketSatisfaction &s) {
        out.key("comment"_L1).string(s.comment);
        out.key("ratedAt"_L1).timeOrNull(s.ratedAt);
        out.key("rating"_L1).integer(s.rating);
    });
}

} // namespace

void writeJson(JsonWriter &out, const Attachment &attachment)
{
    out.beginObject();
    out.key("contentType"_L1).string(attachment.contentType);
    out.key("createdAt"_L1).timeOrNull(attachment.createdAt);
    out.key("fileName"_L1).string(attachment.fileName);
    out.key("id"_L1).string(attachment.id);
    out.key("sha256"_L1).string(attachment.sha256);
    out.key("size"_L1).integer(attachment.size);
    out.key("uploadedBy"_L1).idOrNull(attachment.uploadedBy);
    out.endObject();
}

void writeJson(JsonWriter &out, const TicketMessage &message)
{
    out.beginObject();
    out.key("attachments"_L1);
    writeArray(out, message.attachments);
    out.key("createdAt"_L1).timeOrNull(message.createdAt);
    out.key("id"_L1).string(message.id);
    out.key("isInternal"_L1).boolean(message.isInternal);
    out.key("message"_L1).string(message.message);
    out.key("senderId"_L1).idOrNull(message.senderId);
    out.key("senderRole"_L1).string(wireName(message.senderRole));
    out.key("ticketId"_L1).idOrNull(message.ticketId);
    out.endObject();
}

void writeJson(JsonWriter &out, const Ticket &ticket, TicketJsonParts parts)
{
    const bool lists = parts == TicketJsonParts::All;
    out.beginObject();
    out.key("assignedTo"_L1).idOrNull(ticket.assignedTo);
    if (parts != TicketJsonParts::WithoutMessagesAndAttachments) {
        out.key("attachments"_L1);
        writeArray(out, ticket.attachments);
    }
    out.key("category"_L1).string(wireName(ticket.category));
    out.key("conversationId"_L1).idOrNull(ticket.conversationId);
    out.key("createdAt"_L1).timeOrNull(ticket.createdAt);
    out.key("customerId"_L1).idOrNull(ticket.customerId);
    out.key("description"_L1).string(ticket.description);
    out.key("escalation"_L1);
    writeEscalation(out, ticket.escalation);
    out.key("id"_L1).string(ticket.id);
    if (lists) {
        out.key("messages"_L1);
        writeArray(out, ticket.messages);
    }
    out.key("priority"_L1).string(wireName(ticket.priority));
    out.key("relatedBooking"_L1).idOrNull(ticket.relatedBooking);
    out.key("resolution"_L1);
    writeResolution(out, ticket.resolution);
    out.key("satisfaction"_L1);
    writeSatisfaction(out, ticket.satisfaction);
    out.key("sla"_L1);
    writeSla(out, ticket.sla);
    out.key("status"_L1).string(wireName(ticket.status));
    out.key("subject"_L1).string(ticket.subject);
    out.key("ticketNumber"_L1).string(ticket.ticketNumber);
    out.key("updatedAt"_L1).timeOrNull(ticket.updatedAt);
    out.key("version"_L1).integer(ticket.version);
    out.endObject();
}

} // namespace sb
