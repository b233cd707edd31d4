// Wire shapes of tickets, their messages and attachments (DESIGN.md "Resource shapes").
#include "jsoncodec.h"

#include "timeformat.h"

namespace sb {

QJsonObject toJson(const Attachment &attachment)
{
    return {
        {QStringLiteral("id"), attachment.id},
        {QStringLiteral("fileName"), attachment.fileName},
        {QStringLiteral("contentType"), attachment.contentType},
        {QStringLiteral("size"), attachment.size},
        {QStringLiteral("sha256"), attachment.sha256},
        {QStringLiteral("uploadedBy"), idOrNull(attachment.uploadedBy)},
        {QStringLiteral("createdAt"), isoOrNull(attachment.createdAt)},
    };
}

void readJson(JsonReader &reader, Attachment &attachment)
{
    reader.text("id", attachment.id);
    reader.text("fileName", attachment.fileName);
    reader.text("contentType", attachment.contentType);
    reader.integer("size", attachment.size);
    reader.text("sha256", attachment.sha256);
    reader.reference("uploadedBy", attachment.uploadedBy);
    reader.timestamp("createdAt", attachment.createdAt);
}

QJsonObject toJson(const TicketMessage &message)
{
    return {
        {QStringLiteral("id"), message.id},
        {QStringLiteral("ticketId"), idOrNull(message.ticketId)},
        {QStringLiteral("senderId"), idOrNull(message.senderId)},
        {QStringLiteral("senderRole"), toString(message.senderRole)},
        {QStringLiteral("message"), message.message},
        {QStringLiteral("attachments"), toJsonArray(message.attachments)},
        {QStringLiteral("isInternal"), message.isInternal},
        {QStringLiteral("createdAt"), isoOrNull(message.createdAt)},
    };
}

void readJson(JsonReader &reader, TicketMessage &message)
{
    reader.text("id", message.id);
    reader.reference("ticketId", message.ticketId);
    reader.reference("senderId", message.senderId);
    reader.enumeration("senderRole", message.senderRole);
    reader.text("message", message.message);
    reader.list("attachments", message.attachments, readInto);
    reader.boolean("isInternal", message.isInternal);
    reader.timestamp("createdAt", message.createdAt);
}

static QJsonObject toJson(const TicketSla &sla)
{
    return {
        {QStringLiteral("firstResponseDueAt"), isoOrNull(sla.firstResponseDueAt)},
        {QStringLiteral("resolutionDueAt"), isoOrNull(sla.resolutionDueAt)},
        {QStringLiteral("firstResponseAt"), isoOrNull(sla.firstResponseAt)},
        {QStringLiteral("resolvedAt"), isoOrNull(sla.resolvedAt)},
        {QStringLiteral("firstResponseBreached"), sla.firstResponseBreached},
        {QStringLiteral("resolutionBreached"), sla.resolutionBreached},
        {QStringLiteral("pausedSeconds"), sla.pausedSeconds},
        // Lets a console show a paused clock without asking the server.
        {QStringLiteral("pausedSince"), isoOrNull(sla.pausedSince)},
    };
}

static void readJson(JsonReader &reader, TicketSla &sla)
{
    reader.timestamp("firstResponseDueAt", sla.firstResponseDueAt);
    reader.timestamp("resolutionDueAt", sla.resolutionDueAt);
    reader.timestamp("firstResponseAt", sla.firstResponseAt);
    reader.timestamp("resolvedAt", sla.resolvedAt);
    reader.boolean("firstResponseBreached", sla.firstResponseBreached);
    reader.boolean("resolutionBreached", sla.resolutionBreached);
    reader.integer("pausedSeconds", sla.pausedSeconds);
    reader.timestamp("pausedSince", sla.pausedSince);
}

static QJsonObject toJson(const TicketEscalation &escalation)
{
    return {
        {QStringLiteral("escalatedTo"), idOrNull(escalation.escalatedTo)},
        {QStringLiteral("escalatedBy"), idOrNull(escalation.escalatedBy)},
        {QStringLiteral("reason"), escalation.reason},
        {QStringLiteral("escalatedAt"), isoOrNull(escalation.escalatedAt)},
    };
}

static void readJson(JsonReader &reader, TicketEscalation &escalation)
{
    reader.reference("escalatedTo", escalation.escalatedTo);
    reader.reference("escalatedBy", escalation.escalatedBy);
    reader.text("reason", escalation.reason);
    reader.timestamp("escalatedAt", escalation.escalatedAt);
}

static QJsonObject toJson(const TicketResolution &resolution)
{
    return {
        {QStringLiteral("summary"), resolution.summary},
        {QStringLiteral("resolutionType"), toString(resolution.resolutionType)},
        {QStringLiteral("resolutionNotes"), resolution.resolutionNotes},
        {QStringLiteral("resolvedBy"), idOrNull(resolution.resolvedBy)},
        {QStringLiteral("resolvedAt"), isoOrNull(resolution.resolvedAt)},
    };
}

static void readJson(JsonReader &reader, TicketResolution &resolution)
{
    reader.text("summary", resolution.summary);
    reader.enumeration("resolutionType", resolution.resolutionType);
    reader.text("resolutionNotes", resolution.resolutionNotes);
    reader.reference("resolvedBy", resolution.resolvedBy);
    reader.timestamp("resolvedAt", resolution.resolvedAt);
}

static QJsonObject toJson(const TicketSatisfaction &satisfaction)
{
    return {
        {QStringLiteral("rating"), satisfaction.rating},
        {QStringLiteral("comment"), satisfaction.comment},
        {QStringLiteral("ratedAt"), isoOrNull(satisfaction.ratedAt)},
    };
}

static void readJson(JsonReader &reader, TicketSatisfaction &satisfaction)
{
    reader.integer("rating", satisfaction.rating);
    reader.text("comment", satisfaction.comment);
    reader.timestamp("ratedAt", satisfaction.ratedAt);
}

QJsonObject toJson(const Ticket &ticket)
{
    return {
        {QStringLiteral("id"), ticket.id},
        {QStringLiteral("ticketNumber"), ticket.ticketNumber},
        {QStringLiteral("subject"), ticket.subject},
        {QStringLiteral("description"), ticket.description},
        {QStringLiteral("category"), toString(ticket.category)},
        {QStringLiteral("priority"), toString(ticket.priority)},
        {QStringLiteral("status"), toString(ticket.status)},
        {QStringLiteral("customerId"), idOrNull(ticket.customerId)},
        {QStringLiteral("assignedTo"), idOrNull(ticket.assignedTo)},
        {QStringLiteral("relatedBooking"), idOrNull(ticket.relatedBooking)},
        {QStringLiteral("conversationId"), idOrNull(ticket.conversationId)},
        {QStringLiteral("messages"), toJsonArray(ticket.messages)},
        {QStringLiteral("attachments"), toJsonArray(ticket.attachments)},
        {QStringLiteral("sla"), toJson(ticket.sla)},
        {QStringLiteral("satisfaction"), toJsonOrNull(ticket.satisfaction)},
        {QStringLiteral("escalation"), toJsonOrNull(ticket.escalation)},
        {QStringLiteral("resolution"), toJsonOrNull(ticket.resolution)},
        {QStringLiteral("createdAt"), isoOrNull(ticket.createdAt)},
        {QStringLiteral("updatedAt"), isoOrNull(ticket.updatedAt)},
        {QStringLiteral("version"), ticket.version},
    };
}

void readJson(JsonReader &reader, Ticket &ticket)
{
    reader.text("id", ticket.id);
    reader.text("ticketNumber", ticket.ticketNumber);
    reader.text("subject", ticket.subject);
    reader.text("description", ticket.description);
    reader.enumeration("category", ticket.category);
    reader.enumeration("priority", ticket.priority);
    reader.enumeration("status", ticket.status);
    reader.reference("customerId", ticket.customerId);
    reader.reference("assignedTo", ticket.assignedTo);
    reader.reference("relatedBooking", ticket.relatedBooking);
    reader.reference("conversationId", ticket.conversationId);
    reader.list("messages", ticket.messages, readInto);
    reader.list("attachments", ticket.attachments, readInto);
    reader.child("sla", ticket.sla, readInto);
    reader.optionalChild("satisfaction", ticket.satisfaction, readInto);
    reader.optionalChild("escalation", ticket.escalation, readInto);
    reader.optionalChild("resolution", ticket.resolution, readInto);
    reader.timestamp("createdAt", ticket.createdAt);
    reader.timestamp("updatedAt", ticket.updatedAt);
    reader.integer("version", ticket.version);
}

Result<Attachment> attachmentFromJson(const QJsonObject &json)
{
    return decodeJson<Attachment>(json);
}

Result<TicketMessage> ticketMessageFromJson(const QJsonObject &json)
{
    return decodeJson<TicketMessage>(json);
}

Result<Ticket> ticketFromJson(const QJsonObject &json)
{
    return decodeJson<Ticket>(json);
}

} // namespace sb
