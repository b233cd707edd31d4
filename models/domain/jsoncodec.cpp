// Wire shapes of users, conversations, notifications and change-log entries; tickets are in
// ticketjson.cpp, bookings in bookingjson.cpp.
#include "jsoncodec.h"

#include "timeformat.h"

namespace sb {

QJsonValue idOrNull(const QString &id)
{
    return id.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(id);
}

QJsonObject toJson(const User &user)
{
    QJsonObject json {
        {QStringLiteral("id"), user.id},
        {QStringLiteral("name"), user.name},
        {QStringLiteral("email"), user.email},
        {QStringLiteral("role"), toString(user.role)},
        {QStringLiteral("active"), user.active},
        {QStringLiteral("createdAt"), isoOrNull(user.createdAt)},
        {QStringLiteral("version"), user.version},
    };
    if (user.isAgent()) {
        json.insert(QStringLiteral("availability"),
                    user.availability ? QJsonValue(toString(*user.availability))
                                      : QJsonValue(QJsonValue::Null));
    }
    if (!user.phone.isEmpty())
        json.insert(QStringLiteral("phone"), user.phone);
    return json;
}

void readJson(JsonReader &reader, User &user)
{
    reader.text("id", user.id);
    reader.text("name", user.name);
    reader.text("email", user.email);
    reader.enumeration("role", user.role);
    reader.optionalEnumeration("availability", user.availability);
    reader.boolean("active", user.active);
    reader.text("phone", user.phone);
    reader.timestamp("createdAt", user.createdAt);
    reader.integer("version", user.version);
    // Availability means something for agents only; keep the value consistent with toJson.
    if (!user.isAgent())
        user.availability.reset();
}

QJsonObject toJson(const ConversationMessage &message)
{
    return {
        {QStringLiteral("id"), message.id},
        {QStringLiteral("conversationId"), idOrNull(message.conversationId)},
        {QStringLiteral("senderId"), idOrNull(message.senderId)},
        {QStringLiteral("senderRole"), toString(message.senderRole)},
        {QStringLiteral("message"), message.message},
        {QStringLiteral("createdAt"), isoOrNull(message.createdAt)},
    };
}

void readJson(JsonReader &reader, ConversationMessage &message)
{
    reader.text("id", message.id);
    reader.reference("conversationId", message.conversationId);
    reader.reference("senderId", message.senderId);
    reader.enumeration("senderRole", message.senderRole);
    reader.text("message", message.message);
    reader.timestamp("createdAt", message.createdAt);
}

QJsonObject toJson(const Conversation &conversation)
{
    return {
        {QStringLiteral("id"), conversation.id},
        {QStringLiteral("customerId"), idOrNull(conversation.customerId)},
        {QStringLiteral("agentId"), idOrNull(conversation.agentId)},
        {QStringLiteral("ticketId"), idOrNull(conversation.ticketId)},
        {QStringLiteral("status"), toString(conversation.status)},
        {QStringLiteral("messages"), toJsonArray(conversation.messages)},
        {QStringLiteral("createdAt"), isoOrNull(conversation.createdAt)},
    };
}

void readJson(JsonReader &reader, Conversation &conversation)
{
    reader.text("id", conversation.id);
    reader.reference("customerId", conversation.customerId);
    reader.reference("agentId", conversation.agentId);
    reader.reference("ticketId", conversation.ticketId);
    reader.enumeration("status", conversation.status);
    reader.list("messages", conversation.messages, readInto);
    reader.timestamp("createdAt", conversation.createdAt);
}

QJsonObject toJson(const Notification &notification)
{
    return {
        {QStringLiteral("id"), notification.id},
        {QStringLiteral("userId"), idOrNull(notification.userId)},
        {QStringLiteral("type"), toString(notification.type)},
        {QStringLiteral("title"), notification.title},
        {QStringLiteral("body"), notification.body},
        {QStringLiteral("entity"), notification.entity},
        {QStringLiteral("entityId"), idOrNull(notification.entityId)},
        {QStringLiteral("read"), notification.read},
        {QStringLiteral("createdAt"), isoOrNull(notification.createdAt)},
    };
}

void readJson(JsonReader &reader, Notification &notification)
{
    reader.text("id", notification.id);
    reader.reference("userId", notification.userId);
    reader.enumeration("type", notification.type);
    reader.text("title", notification.title);
    reader.text("body", notification.body);
    reader.text("entity", notification.entity);
    reader.reference("entityId", notification.entityId);
    reader.boolean("read", notification.read);
    reader.timestamp("createdAt", notification.createdAt);
}

QJsonObject toJson(const Change &change)
{
    return {
        {QStringLiteral("seq"), change.seq},
        {QStringLiteral("entity"), change.entity},
        {QStringLiteral("id"), idOrNull(change.entityId)},
        {QStringLiteral("op"), toString(change.op)},
        {QStringLiteral("data"), dataOf(change)},
        {QStringLiteral("createdAt"), isoOrNull(change.createdAt)},
    };
}

void readJson(JsonReader &reader, Change &change)
{
    reader.integer("seq", change.seq);
    reader.text("entity", change.entity);
    reader.reference("id", change.entityId);
    reader.enumeration("op", change.op);
    reader.object("data", change.data);
    reader.timestamp("createdAt", change.createdAt);
}

Result<User> userFromJson(const QJsonObject &json)
{
    return decodeJson<User>(json);
}

Result<ConversationMessage> conversationMessageFromJson(const QJsonObject &json)
{
    return decodeJson<ConversationMessage>(json);
}

Result<Conversation> conversationFromJson(const QJsonObject &json)
{
    return decodeJson<Conversation>(json);
}

Result<Notification> notificationFromJson(const QJsonObject &json)
{
    return decodeJson<Notification>(json);
}

Result<Change> changeFromJson(const QJsonObject &json)
{
    return decodeJson<Change>(json);
}

} // namespace sb
