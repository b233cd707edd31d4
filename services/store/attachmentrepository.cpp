#include "attachmentrepository.h"

#include "ids.h"
#include "sqlfilter.h"
#include "sqlquery.h"

#include <QJsonArray>
#include <QSet>

namespace sb::store {

namespace {

const QString kColumns = QStringLiteral(
    "a.id, a.file_name, a.content_type, a.size, a.sha256, a.uploaded_by, a.created_at");

Attachment readAttachment(const SqlQuery &q, int first = 0)
{
    Attachment a;
    a.id = q.value(first).toString();
    a.fileName = q.value(first + 1).toString();
    a.contentType = q.value(first + 2).toString();
    a.size = q.value(first + 3).toLongLong();
    a.sha256 = q.value(first + 4).toString();
    a.uploadedBy = q.value(first + 5).toString();
    a.createdAt = fromDbTime(q.value(first + 6));
    return a;
}

QString ownerName(AttachmentOwner owner)
{
    return owner == AttachmentOwner::Ticket ? QStringLiteral("ticket") : QStringLiteral("message");
}

} // namespace

Result<Attachment> AttachmentRepository::insert(const Attachment &attachment)
{
    Attachment a = attachment;
    if (a.id.isEmpty())
        a.id = newId();
    SqlQuery q(m_db,
               QStringLiteral("INSERT INTO attachments (id, file_name, content_type, size, sha256, "
                              "uploaded_by, created_at) VALUES (:id, :name, :type, :size, :sha, "
                              ":by, :created)"));
    q.bind(QStringLiteral(":id"), a.id)
        .bind(QStringLiteral(":name"), a.fileName)
        .bind(QStringLiteral(":type"), a.contentType)
        .bind(QStringLiteral(":size"), a.size)
        .bind(QStringLiteral(":sha"), a.sha256)
        .bind(QStringLiteral(":by"), a.uploadedBy)
        .bind(QStringLiteral(":created"), dbTime(a.createdAt));
    if (Status s = q.exec(); !s)
        return s.error();
    return a;
}

Result<std::optional<Attachment>> AttachmentRepository::findById(const QString &id) const
{
    SqlQuery q(m_db, u"SELECT " + kColumns + u" FROM attachments a WHERE a.id = :id");
    if (Status s = q.bind(QStringLiteral(":id"), id).exec(); !s)
        return s.error();
    if (!q.next())
        return std::optional<Attachment>();
    return std::optional<Attachment>(readAttachment(q));
}

Status AttachmentRepository::link(const QStringList &attachmentIds, AttachmentOwner owner,
                                  const QString &ownerId)
{
    QStringList ids = attachmentIds;
    ids.removeDuplicates();
    if (ids.isEmpty())
        return {};

    SqlQuery known(m_db,
                   u"SELECT id FROM attachments WHERE id IN ("
                       + SqlFilter::placeholders(QStringLiteral("a"), ids.size()) + u')');
    for (qsizetype i = 0; i < ids.size(); ++i)
        known.bind(u":a" + QString::number(i), ids.at(i));
    if (Status s = known.exec(); !s)
        return s.error();
    QSet<QString> found;
    while (known.next())
        found.insert(known.value(0).toString());
    QJsonArray unknown;
    for (const QString &id : std::as_const(ids)) {
        if (!found.contains(id))
            unknown.append(id);
    }
    if (!unknown.isEmpty()) {
        return Error::make(QStringLiteral("unknown_attachment"),
                           QStringLiteral("An attachment id names no uploaded file."),
                           {{QStringLiteral("field"), QStringLiteral("attachments")},
                            {QStringLiteral("ids"), unknown}});
    }

    for (qsizetype i = 0; i < ids.size(); ++i) {
        SqlQuery q(m_db,
                   QStringLiteral("INSERT INTO attachment_links (attachment_id, owner_type, "
                                  "owner_id, position) VALUES (:a, :type, :owner, :pos) "
                                  "ON CONFLICT (attachment_id, owner_type, owner_id) DO NOTHING"));
        q.bind(QStringLiteral(":a"), ids.at(i))
            .bind(QStringLiteral(":type"), ownerName(owner))
            .bind(QStringLiteral(":owner"), ownerId)
            .bind(QStringLiteral(":pos"), int(i));
        if (Status s = q.exec(); !s)
            return s;
    }
    return {};
}

Result<QList<Attachment>> AttachmentRepository::forOwner(AttachmentOwner owner,
                                                         const QString &ownerId) const
{
    SqlQuery q(m_db,
               u"SELECT " + kColumns
                   + u" FROM attachment_links l JOIN attachments a ON a.id = l.attachment_id "
                     u"WHERE l.owner_type = :type AND l.owner_id = :owner "
                     u"ORDER BY l.position, a.id");
    q.bind(QStringLiteral(":type"), ownerName(owner)).bind(QStringLiteral(":owner"), ownerId);
    if (Status s = q.exec(); !s)
        return s.error();
    QList<Attachment> out;
    while (q.next())
        out << readAttachment(q);
    return out;
}

Result<QHash<QString, QList<Attachment>>>
AttachmentRepository::forTicketMessages(const QString &ticketId) const
{
    SqlQuery q(m_db,
               // A join from the ticket's messages (IN (SELECT ...) made SQLite build an
               // ephemeral table of their ids first). CROSS JOIN fixes SQLite's order, messages
               // first: without statistics it would start from every message's links.
               // PostgreSQL plans it as any inner join.
               u"SELECT l.owner_id, " + kColumns
                   + u" FROM ticket_messages m CROSS JOIN attachment_links l "
                     u"JOIN attachments a ON a.id = l.attachment_id "
                     u"WHERE m.ticket_id = :ticket AND l.owner_type = 'message' "
                     u"AND l.owner_id = m.id ORDER BY l.owner_id, l.position, a.id");
    if (Status s = q.bind(QStringLiteral(":ticket"), ticketId).exec(); !s)
        return s.error();
    QHash<QString, QList<Attachment>> out;
    while (q.next())
        out[q.value(0).toString()] << readAttachment(q, 1);
    return out;
}

Result<QList<AttachmentHolder>> AttachmentRepository::holders(const QString &attachmentId) const
{
    SqlQuery q(m_db,
               QStringLiteral(
                   "SELECT l.owner_type, l.owner_id, COALESCE(m.ticket_id, t.id), m.is_internal "
                   "FROM attachment_links l "
                   "LEFT JOIN ticket_messages m ON l.owner_type = 'message' AND m.id = l.owner_id "
                   "LEFT JOIN tickets t ON l.owner_type = 'ticket' AND t.id = l.owner_id "
                   "WHERE l.attachment_id = :id ORDER BY l.owner_type, l.owner_id"));
    if (Status s = q.bind(QStringLiteral(":id"), attachmentId).exec(); !s)
        return s.error();
    QList<AttachmentHolder> out;
    while (q.next()) {
        AttachmentHolder h;
        h.ownerType = q.value(0).toString() == u"ticket" ? AttachmentOwner::Ticket
                                                         : AttachmentOwner::Message;
        h.ownerId = q.value(1).toString();
        h.ticketId = fromDbRef(q.value(2));
        h.internal = q.value(3).toBool(); // NULL (a ticket) reads as false
        out << h;
    }
    return out;
}

Result<QList<Attachment>> AttachmentRepository::listUnreferencedOlderThan(const QDateTime &before,
                                                                          int limit) const
{
    SqlQuery q(m_db,
               u"SELECT " + kColumns
                   + u" FROM attachments a WHERE a.created_at < :before AND NOT EXISTS "
                     u"(SELECT 1 FROM attachment_links l WHERE l.attachment_id = a.id) "
                     u"ORDER BY a.created_at, a.id LIMIT :limit");
    q.bind(QStringLiteral(":before"), dbTime(before)).bind(QStringLiteral(":limit"), limit);
    if (Status s = q.exec(); !s)
        return s.error();
    QList<Attachment> out;
    while (q.next())
        out << readAttachment(q);
    return out;
}

Result<bool> AttachmentRepository::removeIfUnreferenced(const QString &id)
{
    SqlQuery q(m_db,
               QStringLiteral("DELETE FROM attachments WHERE id = :id AND NOT EXISTS "
                              "(SELECT 1 FROM attachment_links l WHERE l.attachment_id = :id)"));
    if (Status s = q.bind(QStringLiteral(":id"), id).exec(); !s)
        return s.error();
    return q.rowsAffected() > 0;
}

Result<bool> AttachmentRepository::isFileInUse(const QString &sha256) const
{
    SqlQuery q(m_db, QStringLiteral("SELECT 1 FROM attachments WHERE sha256 = :sha LIMIT 1"));
    if (Status s = q.bind(QStringLiteral(":sha"), sha256).exec(); !s)
        return s.error();
    return q.next();
}

} // namespace sb::store
