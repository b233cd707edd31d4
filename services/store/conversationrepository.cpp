#include "conversationrepository.h"

#include "ids.h"
#include "sqlfilter.h"
#include "sqlquery.h"

namespace sb::store {

namespace {

const QString kColumns = QStringLiteral("id, customer_id, agent_id, ticket_id, status, created_at");

Conversation readConversation(const SqlQuery &q)
{
    Conversation c;
    c.id = q.value(0).toString();
    c.customerId = q.value(1).toString();
    c.agentId = fromDbRef(q.value(2));
    c.ticketId = fromDbRef(q.value(3));
    c.status = parseEnum<ConversationStatus>(q.value(4).toString()).value_or(c.status);
    c.createdAt = fromDbTime(q.value(5));
    return c;
}

Error conversationNotFound()
{
    return Error::make(QStringLiteral("not_found"), QStringLiteral("No such conversation."));
}

} // namespace

Result<Conversation> ConversationRepository::insert(const Conversation &conversation)
{
    Conversation c = conversation;
    if (c.id.isEmpty())
        c.id = newId();
    SqlQuery q(m_db,
               QStringLiteral("INSERT INTO conversations (id, customer_id, agent_id, ticket_id, "
                              "status, created_at, updated_at) VALUES (:id, :customer, :agent, "
                              ":ticket, :status, :created, :created)"));
    q.bind(QStringLiteral(":id"), c.id)
        .bind(QStringLiteral(":customer"), c.customerId)
        .bind(QStringLiteral(":agent"), dbRef(c.agentId))
        .bind(QStringLiteral(":ticket"), dbRef(c.ticketId))
        .bind(QStringLiteral(":status"), toString(c.status))
        .bind(QStringLiteral(":created"), dbTime(c.createdAt));
    if (Status s = q.exec(); !s)
        return s.error();
    c.messages.clear();
    return c;
}

Result<std::optional<Conversation>> ConversationRepository::findById(const QString &id) const
{
    SqlQuery q(m_db, u"SELECT " + kColumns + u" FROM conversations WHERE id = :id");
    if (Status s = q.bind(QStringLiteral(":id"), id).exec(); !s)
        return s.error();
    if (!q.next())
        return std::optional<Conversation>();
    Conversation c = readConversation(q);

    SqlQuery m(m_db,
               QStringLiteral("SELECT id, conversation_id, sender_id, sender_role, body, "
                              "created_at FROM conversation_messages "
                              "WHERE conversation_id = :id ORDER BY created_at, id"));
    if (Status s = m.bind(QStringLiteral(":id"), id).exec(); !s)
        return s.error();
    while (m.next()) {
        ConversationMessage msg;
        msg.id = m.value(0).toString();
        msg.conversationId = m.value(1).toString();
        msg.senderId = m.value(2).toString();
        msg.senderRole = parseEnum<Role>(m.value(3).toString()).value_or(Role::Customer);
        msg.message = m.value(4).toString();
        msg.createdAt = fromDbTime(m.value(5));
        c.messages << msg;
    }
    return std::optional<Conversation>(std::move(c));
}

Result<ConversationPage> ConversationRepository::list(const ConversationFilter &filter) const
{
    SqlFilter where;
    if (!filter.customerId.isEmpty())
        where.where(QStringLiteral("customer_id = :customer"))
            .bind(QStringLiteral(":customer"), filter.customerId);
    if (!filter.agentId.isEmpty())
        where.where(QStringLiteral("agent_id = :agent"))
            .bind(QStringLiteral(":agent"), filter.agentId);
    if (!filter.ticketId.isEmpty())
        where.where(QStringLiteral("ticket_id = :ticket"))
            .bind(QStringLiteral(":ticket"), filter.ticketId);
    if (filter.status)
        where.where(QStringLiteral("status = :status"))
            .bind(QStringLiteral(":status"), toString(*filter.status));

    SqlQuery count(m_db, u"SELECT COUNT(*) FROM conversations" + where.clause());
    where.applyTo(count);
    if (Status s = count.exec(); !s || !count.next())
        return storageError();
    ConversationPage page;
    page.total = count.value(0).toLongLong();

    SqlQuery q(m_db,
               u"SELECT " + kColumns + u" FROM conversations" + where.clause()
                   + u" ORDER BY updated_at DESC, id DESC LIMIT :limit OFFSET :offset");
    where.applyTo(q);
    q.bind(QStringLiteral(":limit"), filter.limit).bind(QStringLiteral(":offset"), filter.offset);
    if (Status s = q.exec(); !s)
        return s.error();
    while (q.next())
        page.items << readConversation(q);
    return page;
}

Status ConversationRepository::update(const Conversation &c, const QDateTime &at)
{
    SqlQuery q(m_db,
               QStringLiteral("UPDATE conversations SET agent_id = :agent, ticket_id = :ticket, "
                              "status = :status, updated_at = :at WHERE id = :id"));
    q.bind(QStringLiteral(":agent"), dbRef(c.agentId))
        .bind(QStringLiteral(":ticket"), dbRef(c.ticketId))
        .bind(QStringLiteral(":status"), toString(c.status))
        .bind(QStringLiteral(":at"), dbTime(at))
        .bind(QStringLiteral(":id"), c.id);
    if (Status s = q.exec(); !s)
        return s;
    return q.rowsAffected() > 0 ? Status() : Status(conversationNotFound());
}

Result<ConversationMessage> ConversationRepository::addMessage(const ConversationMessage &message)
{
    ConversationMessage m = message;
    if (m.id.isEmpty())
        m.id = newId();
    SqlQuery touch(m_db,
                   QStringLiteral("UPDATE conversations SET updated_at = :at WHERE id = :id"));
    touch.bind(QStringLiteral(":at"), dbTime(m.createdAt))
        .bind(QStringLiteral(":id"), m.conversationId);
    if (Status s = touch.exec(); !s)
        return s.error();
    if (touch.rowsAffected() == 0)
        return conversationNotFound();

    SqlQuery q(m_db,
               QStringLiteral("INSERT INTO conversation_messages (id, conversation_id, sender_id, "
                              "sender_role, body, created_at) VALUES (:id, :conversation, "
                              ":sender, :role, :body, :created)"));
    q.bind(QStringLiteral(":id"), m.id)
        .bind(QStringLiteral(":conversation"), m.conversationId)
        .bind(QStringLiteral(":sender"), m.senderId)
        .bind(QStringLiteral(":role"), toString(m.senderRole))
        .bind(QStringLiteral(":body"), m.message)
        .bind(QStringLiteral(":created"), dbTime(m.createdAt));
    if (Status s = q.exec(); !s)
        return s.error();
    return m;
}

} // namespace sb::store
