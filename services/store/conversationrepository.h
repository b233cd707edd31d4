#pragma once

#include <domain/conversation.h>
#include <domain/result.h>

#include <QSqlDatabase>

#include <optional>

namespace sb::store {

struct ConversationFilter
{
    QString customerId; // empty: any
    QString agentId; // empty: any
    QString ticketId; // empty: any
    std::optional<ConversationStatus> status;
    int limit = 50;
    int offset = 0;
};

struct ConversationPage
{
    QList<Conversation> items; // without messages
    qint64 total = 0;
};

// Support conversations (real-time chat with an agent, optionally linked to a ticket).
class ConversationRepository
{
public:
    explicit ConversationRepository(const QSqlDatabase &db)
        : m_db(db)
    { }

    // Assigns id when empty. Writes the conversation only; messages go through addMessage().
    Result<Conversation> insert(const Conversation &conversation);
    // With its messages, oldest first.
    Result<std::optional<Conversation>> findById(const QString &id) const;
    // Newest activity first.
    Result<ConversationPage> list(const ConversationFilter &filter) const;
    // Writes agent, ticket and status; Error "not_found" when there is no such conversation.
    Status update(const Conversation &conversation, const QDateTime &at);
    // Assigns id when empty and marks the conversation active at the message's time.
    Result<ConversationMessage> addMessage(const ConversationMessage &message);

private:
    QSqlDatabase m_db;
};

} // namespace sb::store
