#pragma once

#include "booking.h"
#include "change.h"
#include "conversation.h"
#include "jsonreader.h"
#include "notification.h"
#include "result.h"
#include "ticket.h"
#include "user.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

namespace sb {

// The wire shapes of DESIGN.md "Resource shapes": camelCase keys, references as plain id strings
// or null, timestamps ISO-8601 UTC with milliseconds or null, enums as their wire strings,
// optional sub-objects null when absent, free text as strings ("" when empty).
// fromJson(toJson(x)) == x for every field on the wire. Not on the wire, so read back as their
// defaults: User::lastAssignedAt (and availability of non-agents), CompletionRequest::reminderSent,
// and Change's audience fields (customerId, technicianId, userId, internal), which only the
// server uses to route a change. Who may see what (internal notes) is the caller's filter.
// The decoders answer an "invalid_field" Error naming the field (see JsonReader).

QJsonValue idOrNull(const QString &id);

QJsonObject toJson(const User &user); // never a password or hash
QJsonObject toJson(const Attachment &attachment);
QJsonObject toJson(const TicketMessage &message);
QJsonObject toJson(const Ticket &ticket);
QJsonObject toJson(const ConversationMessage &message);
QJsonObject toJson(const Conversation &conversation);
QJsonObject toJson(const CompletionRequest &request); // exactly the spec's sub-document
QJsonObject toJson(const Review &review);
QJsonObject toJson(const Booking &booking);
QJsonObject toJson(const Notification &notification);
QJsonObject toJson(const Change &change); // {seq, entity, id, op, data, createdAt}

template<typename T>
QJsonArray toJsonArray(const QList<T> &items)
{
    QJsonArray array;
    for (const T &item : items)
        array.append(toJson(item));
    return array;
}

// An optional sub-object: its JSON, or null when absent.
template<typename T>
QJsonValue toJsonOrNull(const std::optional<T> &value)
{
    return value ? QJsonValue(toJson(*value)) : QJsonValue(QJsonValue::Null);
}

Result<User> userFromJson(const QJsonObject &json);
Result<Attachment> attachmentFromJson(const QJsonObject &json);
Result<TicketMessage> ticketMessageFromJson(const QJsonObject &json);
Result<Ticket> ticketFromJson(const QJsonObject &json);
Result<ConversationMessage> conversationMessageFromJson(const QJsonObject &json);
Result<Conversation> conversationFromJson(const QJsonObject &json);
Result<CompletionRequest> completionRequestFromJson(const QJsonObject &json);
Result<Review> reviewFromJson(const QJsonObject &json);
Result<Booking> bookingFromJson(const QJsonObject &json);
Result<Notification> notificationFromJson(const QJsonObject &json);
Result<Change> changeFromJson(const QJsonObject &json);

// The decoders as steps of a JsonReader, for lists and envelopes ({items: [...]}).
void readJson(JsonReader &reader, User &user);
void readJson(JsonReader &reader, Attachment &attachment);
void readJson(JsonReader &reader, TicketMessage &message);
void readJson(JsonReader &reader, Ticket &ticket);
void readJson(JsonReader &reader, ConversationMessage &message);
void readJson(JsonReader &reader, Conversation &conversation);
void readJson(JsonReader &reader, CompletionRequest &request);
void readJson(JsonReader &reader, Review &review);
void readJson(JsonReader &reader, Booking &booking);
void readJson(JsonReader &reader, Notification &notification);
void readJson(JsonReader &reader, Change &change);

// readJson as a JsonReader callback: reader.list("items", tickets, readInto).
inline constexpr auto readInto = [](JsonReader &reader, auto &value) {
    readJson(reader, value);
};

// Runs readJson over a whole object; what every xFromJson does.
template<typename T>
Result<T> decodeJson(const QJsonObject &json)
{
    JsonReader reader(json);
    T value {};
    readJson(reader, value);
    if (!reader.ok())
        return reader.error();
    return value;
}

} // namespace sb
