#include "ticketrepository.h"

#include "attachmentrepository.h"
#include "fulltextquery.h"
#include "ids.h"
#include "queryplan.h"
#include "sqlfilter.h"
#include "sqlquery.h"
#include "ticketstatsquery.h"

#include <QRegularExpression>

namespace sb::store {

namespace {

static_assert(int(TicketPriority::Low) == 0 && int(TicketPriority::Urgent) == 3,
              "priority_rank is the enum's value: low=0 .. urgent=3");

const QString kColumns = QStringLiteral(
    "number, id, subject, description, category, priority, status, customer_id, assigned_to, "
    "related_booking, conversation_id, first_response_due_at, resolution_due_at, "
    "first_response_at, resolved_at, first_response_breached, resolution_breached, "
    "paused_seconds, paused_since, satisfaction_rating, satisfaction_comment, satisfaction_at, "
    "escalated_to, escalated_by, escalation_reason, escalated_at, resolution_summary, "
    "resolution_type, resolution_notes, resolved_by, created_at, updated_at, version");

// Every mutable column with its placeholder: insert and update write the same list.
const QStringList kMutableColumns = {
    QStringLiteral("subject"),
    QStringLiteral("description"),
    QStringLiteral("category"),
    QStringLiteral("priority"),
    QStringLiteral("priority_rank"),
    QStringLiteral("status"),
    QStringLiteral("assigned_to"),
    QStringLiteral("related_booking"),
    QStringLiteral("conversation_id"),
    QStringLiteral("first_response_due_at"),
    QStringLiteral("resolution_due_at"),
    QStringLiteral("first_response_at"),
    QStringLiteral("resolved_at"),
    QStringLiteral("first_response_breached"),
    QStringLiteral("resolution_breached"),
    QStringLiteral("paused_seconds"),
    QStringLiteral("paused_since"),
    QStringLiteral("satisfaction_rating"),
    QStringLiteral("satisfaction_comment"),
    QStringLiteral("satisfaction_at"),
    QStringLiteral("escalated_to"),
    QStringLiteral("escalated_by"),
    QStringLiteral("escalation_reason"),
    QStringLiteral("escalated_at"),
    QStringLiteral("resolution_summary"),
    QStringLiteral("resolution_type"),
    QStringLiteral("resolution_notes"),
    QStringLiteral("resolved_by"),
    QStringLiteral("last_activity_at"),
    QStringLiteral("updated_at"),
};

QVariant nullText()
{
    return QVariant(QMetaType(QMetaType::QString));
}

QVariant nullInt()
{
    return QVariant(QMetaType(QMetaType::Int));
}

// Binder: SqlQuery, or RowBinder for a row of a multi-row insert.
template<typename Binder>
void bindMutable(Binder &&q, const Ticket &t)
{
    const QDateTime resolvedAt = t.sla.resolvedAt.isValid()
        ? t.sla.resolvedAt
        : (t.resolution ? t.resolution->resolvedAt : QDateTime());
    q.bind(QStringLiteral(":subject"), t.subject)
        .bind(QStringLiteral(":description"), t.description)
        .bind(QStringLiteral(":category"), toString(t.category))
        .bind(QStringLiteral(":priority"), toString(t.priority))
        .bind(QStringLiteral(":priority_rank"), int(t.priority))
        .bind(QStringLiteral(":status"), toString(t.status))
        .bind(QStringLiteral(":assigned_to"), dbRef(t.assignedTo))
        .bind(QStringLiteral(":related_booking"), dbRef(t.relatedBooking))
        .bind(QStringLiteral(":conversation_id"), dbRef(t.conversationId))
        .bind(QStringLiteral(":first_response_due_at"), dbTime(t.sla.firstResponseDueAt))
        .bind(QStringLiteral(":resolution_due_at"), dbTime(t.sla.resolutionDueAt))
        .bind(QStringLiteral(":first_response_at"), dbTime(t.sla.firstResponseAt))
        .bind(QStringLiteral(":resolved_at"), dbTime(resolvedAt))
        .bind(QStringLiteral(":first_response_breached"), t.sla.firstResponseBreached)
        .bind(QStringLiteral(":resolution_breached"), t.sla.resolutionBreached)
        .bind(QStringLiteral(":paused_seconds"), t.sla.pausedSeconds)
        .bind(QStringLiteral(":paused_since"), dbTime(t.sla.pausedSince));
    const auto &sat = t.satisfaction;
    q.bind(QStringLiteral(":satisfaction_rating"), sat ? QVariant(sat->rating) : nullInt())
        .bind(QStringLiteral(":satisfaction_comment"), sat ? QVariant(sat->comment) : nullText())
        .bind(QStringLiteral(":satisfaction_at"), dbTime(sat ? sat->ratedAt : QDateTime()));
    const auto &esc = t.escalation;
    q.bind(QStringLiteral(":escalated_to"), dbRef(esc ? esc->escalatedTo : QString()))
        .bind(QStringLiteral(":escalated_by"), dbRef(esc ? esc->escalatedBy : QString()))
        .bind(QStringLiteral(":escalation_reason"), esc ? QVariant(esc->reason) : nullText())
        .bind(QStringLiteral(":escalated_at"), dbTime(esc ? esc->escalatedAt : QDateTime()));
    const auto &res = t.resolution;
    q.bind(QStringLiteral(":resolution_summary"), res ? QVariant(res->summary) : nullText())
        .bind(QStringLiteral(":resolution_type"),
              res ? QVariant(toString(res->resolutionType)) : nullText())
        .bind(QStringLiteral(":resolution_notes"),
              res ? QVariant(res->resolutionNotes) : nullText())
        .bind(QStringLiteral(":resolved_by"), dbRef(res ? res->resolvedBy : QString()))
        .bind(QStringLiteral(":last_activity_at"), dbTime(t.updatedAt))
        .bind(QStringLiteral(":updated_at"), dbTime(t.updatedAt));
}

Ticket readTicket(const SqlQuery &q)
{
    auto text = [&](const char *column) {
        return q.value(QLatin1StringView(column)).toString();
    };
    auto time = [&](const char *column) {
        return fromDbTime(q.value(QLatin1StringView(column)));
    };
    auto ref = [&](const char *column) {
        return fromDbRef(q.value(QLatin1StringView(column)));
    };
    auto isNull = [&](const char *column) {
        return q.value(QLatin1StringView(column)).isNull();
    };

    Ticket t;
    t.ticketNumber
        = TicketRepository::formatTicketNumber(q.value(QStringLiteral("number")).toLongLong());
    t.id = text("id");
    t.subject = text("subject");
    t.description = text("description");
    t.category = parseEnum<TicketCategory>(text("category")).value_or(TicketCategory::Other);
    t.priority = parseEnum<TicketPriority>(text("priority")).value_or(TicketPriority::Medium);
    t.status = parseEnum<TicketStatus>(text("status")).value_or(TicketStatus::Open);
    t.customerId = text("customer_id");
    t.assignedTo = ref("assigned_to");
    t.relatedBooking = ref("related_booking");
    t.conversationId = ref("conversation_id");
    t.sla.firstResponseDueAt = time("first_response_due_at");
    t.sla.resolutionDueAt = time("resolution_due_at");
    t.sla.firstResponseAt = time("first_response_at");
    t.sla.resolvedAt = time("resolved_at");
    t.sla.firstResponseBreached = q.value(QStringLiteral("first_response_breached")).toBool();
    t.sla.resolutionBreached = q.value(QStringLiteral("resolution_breached")).toBool();
    t.sla.pausedSeconds = q.value(QStringLiteral("paused_seconds")).toLongLong();
    t.sla.pausedSince = time("paused_since");
    if (!isNull("satisfaction_rating")) {
        t.satisfaction = TicketSatisfaction {q.value(QStringLiteral("satisfaction_rating")).toInt(),
                                             text("satisfaction_comment"), time("satisfaction_at")};
    }
    if (!isNull("escalated_to") || !isNull("escalated_at") || !isNull("escalation_reason")) {
        t.escalation = TicketEscalation {ref("escalated_to"), ref("escalated_by"),
                                         text("escalation_reason"), time("escalated_at")};
    }
    if (!isNull("resolution_type")) {
        t.resolution = TicketResolution {
            text("resolution_summary"),
            parseEnum<ResolutionType>(text("resolution_type")).value_or(ResolutionType::Other),
            text("resolution_notes"), ref("resolved_by"), t.sla.resolvedAt};
    }
    t.createdAt = time("created_at");
    t.updatedAt = time("updated_at");
    t.version = q.value(QStringLiteral("version")).toInt();
    return t;
}

Result<QList<Ticket>> readTickets(SqlQuery &q)
{
    if (Status s = q.exec(); !s)
        return s.error();
    QList<Ticket> out;
    while (q.next())
        out << readTicket(q);
    return out;
}

// The allowlisted ORDER BY: a key the client named, then the ticket number so that pages never
// overlap or skip a row when keys tie.
QString orderBy(TicketSortField field, SortOrder order)
{
    const QString dir
        = order == SortOrder::Ascending ? QStringLiteral(" ASC") : QStringLiteral(" DESC");
    QString key;
    switch (field) {
    case TicketSortField::CreatedAt:
        key = QStringLiteral("created_at");
        break;
    case TicketSortField::UpdatedAt:
        key = QStringLiteral("updated_at");
        break;
    case TicketSortField::Priority:
        key = QStringLiteral("priority_rank");
        break;
    case TicketSortField::Status:
        // Workflow order, not alphabetical.
        key = QStringLiteral("CASE status WHEN 'open' THEN 0 WHEN 'assigned' THEN 1 "
                             "WHEN 'in_progress' THEN 2 WHEN 'pending' THEN 3 "
                             "WHEN 'resolved' THEN 4 ELSE 5 END");
        break;
    case TicketSortField::TicketNumber:
        return u" ORDER BY number" + dir;
    }
    return u" ORDER BY " + key + dir + u", number" + dir;
}

template<typename E>
QStringList enumNames(const QList<E> &values)
{
    QStringList out;
    for (E v : values)
        out << toString(v);
    return out;
}

Error versionConflict(int expected)
{
    return Error::make(QStringLiteral("version_conflict"),
                       QStringLiteral("The ticket was changed by someone else; reload it."),
                       {{QStringLiteral("expectedVersion"), expected}});
}

Error ticketNotFound()
{
    return Error::make(QStringLiteral("not_found"), QStringLiteral("No such ticket."));
}

} // namespace

TicketRepository::TicketRepository(const QSqlDatabase &db)
    : m_db(db)
{ }

QString TicketRepository::formatTicketNumber(qint64 number)
{
    return QStringLiteral("TKT-%1").arg(number, 6, 10, QLatin1Char('0'));
}

std::optional<qint64> TicketRepository::parseTicketNumber(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral(R"(^\s*(?:TKT-)?0*(\d{1,15})\s*$)"),
                                            QRegularExpression::CaseInsensitiveOption);
    const auto match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    return match.captured(1).toLongLong();
}

Status TicketRepository::insertAll(QList<Ticket> &tickets)
{
    static const RowValues values([] {
        QStringList p = {QStringLiteral(":id"), QStringLiteral(":customer_id"),
                         QStringLiteral(":created_at"), QStringLiteral(":version")};
        for (const QString &column : kMutableColumns)
            p << u':' + column;
        return p;
    }());
    QHash<QString, qsizetype> rowOf;
    const auto bindRow = [&](RowBinder row, qsizetype index) {
        Ticket &t = tickets[index];
        if (t.id.isEmpty())
            t.id = newId();
        t.version = 1;
        t.messages.clear();
        rowOf.insert(t.id, index);
        row.bind(QStringLiteral(":id"), t.id)
            .bind(QStringLiteral(":customer_id"), t.customerId)
            .bind(QStringLiteral(":created_at"), dbTime(t.createdAt))
            .bind(QStringLiteral(":version"), 1);
        bindMutable(row, t);
    };
    // The number is the rowid on SQLite, the BIGSERIAL on PostgreSQL (read back by RETURNING).
    const bool sqlite = dialectOf(m_db) == Dialect::Sqlite;
    const auto readNumbers = [&](SqlQuery &q, qsizetype from, qsizetype n) -> Status {
        if (sqlite) {
            const Result<qint64> first = firstInsertedRowid(q, n);
            if (!first)
                return first.error();
            for (qsizetype i = 0; i < n; ++i)
                tickets[from + i].ticketNumber = formatTicketNumber(*first + i);
            return {};
        }
        qsizetype numbered = 0;
        while (q.next()) {
            tickets[rowOf.value(q.value(0).toString())].ticketNumber
                = formatTicketNumber(q.value(1).toLongLong());
            ++numbered;
        }
        if (numbered != n)
            return storageError();
        return {};
    };
    return values.insert(m_db,
                         u"INSERT INTO tickets (id, customer_id, created_at, version, "
                             + kMutableColumns.join(u", ") + u") VALUES ",
                         sqlite ? QString() : QStringLiteral(" RETURNING id, number"),
                         tickets.size(), bindRow, readNumbers);
}

Result<Ticket> TicketRepository::insert(const Ticket &ticket)
{
    QList<Ticket> one {ticket};
    if (Status s = insertAll(one); !s)
        return s.error();
    Ticket t = one.first();
    if (!t.attachments.isEmpty()) {
        QStringList ids;
        for (const Attachment &a : std::as_const(t.attachments))
            ids << a.id;
        AttachmentRepository attachments(m_db);
        if (Status s = attachments.link(ids, AttachmentOwner::Ticket, t.id); !s)
            return s.error();
        Result<QList<Attachment>> linked = attachments.forOwner(AttachmentOwner::Ticket, t.id);
        if (!linked)
            return linked.error();
        t.attachments = *linked;
    }
    return t;
}

Result<std::optional<Ticket>> TicketRepository::findById(const QString &id) const
{
    SqlQuery q(m_db, u"SELECT " + kColumns + u" FROM tickets WHERE id = :id");
    if (Status s = q.bind(QStringLiteral(":id"), id).exec(); !s)
        return s.error();
    if (!q.next())
        return std::optional<Ticket>();
    Ticket t = readTicket(q);
    Result<QList<Attachment>> attachments
        = AttachmentRepository(m_db).forOwner(AttachmentOwner::Ticket, t.id);
    if (!attachments)
        return attachments.error();
    t.attachments = *attachments;
    return std::optional<Ticket>(std::move(t));
}

Result<Ticket> TicketRepository::update(const Ticket &ticket, int expectedVersion)
{
    QStringList assignments;
    for (const QString &column : kMutableColumns)
        assignments << column + u" = :" + column;
    // closed is final, so the first close time is kept.
    SqlQuery q(m_db,
               u"UPDATE tickets SET " + assignments.join(u", ")
                   + u", closed_at = COALESCE(closed_at, :closed_at), version = version + 1 "
                     u"WHERE id = :id AND version = :expected");
    bindMutable(q, ticket);
    q.bind(QStringLiteral(":closed_at"),
           dbTime(ticket.status == TicketStatus::Closed ? ticket.updatedAt : QDateTime()))
        .bind(QStringLiteral(":id"), ticket.id)
        .bind(QStringLiteral(":expected"), expectedVersion);
    if (Status s = q.exec(); !s)
        return s.error();
    if (q.rowsAffected() == 0) {
        SqlQuery exists(m_db, QStringLiteral("SELECT 1 FROM tickets WHERE id = :id"));
        if (Status s = exists.bind(QStringLiteral(":id"), ticket.id).exec(); !s)
            return s.error();
        return exists.next() ? versionConflict(expectedVersion) : ticketNotFound();
    }
    Ticket updated = ticket;
    updated.version = expectedVersion + 1;
    return updated;
}

Result<QList<Ticket>> TicketRepository::dueForBreachFlags(const QDateTime &now, int limit) const
{
    // slaclock.cpp's missed(), in SQL: the clock reads the met time (or now), stopped at the
    // pause start; a target is missed when that reading is past its due time.
    auto missed = [](const QString &flag, const QString &due, const QString &met) -> QString {
        return u"(" + flag + u" = FALSE AND " + due + u" IS NOT NULL AND COALESCE(" + met
            + u", :now) > " + due + u" AND (paused_since IS NULL OR paused_since > " + due + u"))";
    };
    SqlQuery q(m_db,
               u"SELECT " + kColumns + u" FROM tickets WHERE "
                   + missed(QStringLiteral("first_response_breached"),
                            QStringLiteral("first_response_due_at"),
                            QStringLiteral("first_response_at"))
                   + u" OR "
                   + missed(QStringLiteral("resolution_breached"),
                            QStringLiteral("resolution_due_at"), QStringLiteral("resolved_at"))
                   + u" ORDER BY number LIMIT :limit");
    q.bind(QStringLiteral(":now"), dbTime(now)).bind(QStringLiteral(":limit"), limit);
    return readTickets(q);
}

Result<QList<Ticket>> TicketRepository::resolvedInactiveSince(const QDateTime &before,
                                                              int limit) const
{
    SqlQuery q(m_db,
               u"SELECT " + kColumns
                   + u" FROM tickets WHERE status = 'resolved' AND last_activity_at <= :before "
                     u"ORDER BY last_activity_at, number LIMIT :limit");
    q.bind(QStringLiteral(":before"), dbTime(before)).bind(QStringLiteral(":limit"), limit);
    return readTickets(q);
}

SqlFilter TicketRepository::listFilter(const TicketFilter &f) const
{
    SqlFilter where;
    where.whereIn(QStringLiteral("status"), QStringLiteral("st"), enumNames(f.statuses))
        .whereIn(QStringLiteral("priority"), QStringLiteral("pr"), enumNames(f.priorities))
        .whereIn(QStringLiteral("category"), QStringLiteral("ca"), enumNames(f.categories));
    if (f.assignedTo.kind == AssigneeFilter::Kind::Unassigned)
        where.where(QStringLiteral("assigned_to IS NULL"));
    if (f.assignedTo.kind == AssigneeFilter::Kind::Agent) {
        where.where(QStringLiteral("assigned_to = :assignee"))
            .bind(QStringLiteral(":assignee"), f.assignedTo.agentId);
    }
    if (!f.customerId.isEmpty()) {
        where.where(QStringLiteral("customer_id = :customer"))
            .bind(QStringLiteral(":customer"), f.customerId);
    }
    if (!f.relatedBooking.isEmpty()) {
        where.where(QStringLiteral("related_booking = :booking"))
            .bind(QStringLiteral(":booking"), f.relatedBooking);
    }
    if (f.createdFrom.isValid())
        where.where(QStringLiteral("created_at >= :from"))
            .bind(QStringLiteral(":from"), dbTime(f.createdFrom));
    if (f.createdTo.isValid())
        where.where(QStringLiteral("created_at < :to"))
            .bind(QStringLiteral(":to"), dbTime(f.createdTo));

    if (!f.q.trimmed().isEmpty()) {
        const FullTextQuery words(f.q);
        const std::optional<qint64> number = parseTicketNumber(f.q);
        QStringList alternatives;
        if (number) {
            alternatives << QStringLiteral("number = :qnumber");
            where.bind(QStringLiteral(":qnumber"), *number);
        }
        if (!words.isEmpty()) {
            const bool sqlite = dialectOf(m_db) == Dialect::Sqlite;
            alternatives << (sqlite ? QStringLiteral("number IN (SELECT rowid FROM tickets_fts "
                                                     "WHERE tickets_fts MATCH :fts)")
                                    : QStringLiteral("search @@ to_tsquery('simple', :fts)"));
            where.bind(QStringLiteral(":fts"),
                       sqlite ? words.sqliteMatch() : words.postgresTsQuery());
        }
        // Input with no word in it (only punctuation) matches nothing rather than everything.
        where.where(alternatives.isEmpty() ? QStringLiteral("1 = 0")
                                           : u'(' + alternatives.join(u" OR ") + u')');
    }
    return where;
}

QString TicketRepository::listSql(const TicketFilter &filter, const SqlFilter &where) const
{
    return u"SELECT " + kColumns + u" FROM tickets" + where.clause()
        + orderBy(filter.sort, filter.order) + u" LIMIT :limit OFFSET :offset";
}

Result<TicketPage> TicketRepository::list(const TicketFilter &filter) const
{
    const SqlFilter where = listFilter(filter);
    SqlQuery count(m_db, u"SELECT COUNT(*) FROM tickets" + where.clause());
    where.applyTo(count);
    if (Status s = count.exec(); !s || !count.next())
        return storageError();
    TicketPage page;
    page.total = count.value(0).toLongLong();

    SqlQuery q(m_db, listSql(filter, where));
    where.applyTo(q);
    q.bind(QStringLiteral(":limit"), filter.limit).bind(QStringLiteral(":offset"), filter.offset);
    if (Status s = q.exec(); !s)
        return s.error();
    while (q.next())
        page.items << readTicket(q);
    return page;
}

Result<QString> TicketRepository::explainList(const TicketFilter &filter) const
{
    SqlFilter where = listFilter(filter);
    where.bind(QStringLiteral(":limit"), filter.limit)
        .bind(QStringLiteral(":offset"), filter.offset);
    return explainQuery(m_db, listSql(filter, where), where);
}

Result<TicketMessage> TicketRepository::addMessage(const TicketMessage &message)
{
    TicketMessage m = message;
    if (m.id.isEmpty())
        m.id = newId();
    SqlQuery q(m_db,
               QStringLiteral("INSERT INTO ticket_messages (id, ticket_id, sender_id, sender_role, "
                              "body, is_internal, created_at) VALUES (:id, :ticket, :sender, "
                              ":role, :body, :internal, :created)"));
    q.bind(QStringLiteral(":id"), m.id)
        .bind(QStringLiteral(":ticket"), m.ticketId)
        .bind(QStringLiteral(":sender"), m.senderId)
        .bind(QStringLiteral(":role"), toString(m.senderRole))
        .bind(QStringLiteral(":body"), m.message)
        .bind(QStringLiteral(":internal"), m.isInternal)
        .bind(QStringLiteral(":created"), dbTime(m.createdAt));
    if (Status s = q.exec(); !s)
        return s.error();
    if (m.attachments.isEmpty())
        return m;
    QStringList ids;
    for (const Attachment &a : std::as_const(m.attachments))
        ids << a.id;
    AttachmentRepository attachments(m_db);
    if (Status s = attachments.link(ids, AttachmentOwner::Message, m.id); !s)
        return s.error();
    Result<QList<Attachment>> linked = attachments.forOwner(AttachmentOwner::Message, m.id);
    if (!linked)
        return linked.error();
    m.attachments = *linked;
    return m;
}

Result<QList<TicketMessage>> TicketRepository::messages(const QString &ticketId,
                                                        bool includeInternal) const
{
    SqlQuery q(m_db,
               u"SELECT id, ticket_id, sender_id, sender_role, body, is_internal, created_at "
               u"FROM ticket_messages WHERE ticket_id = :ticket"
                   + (includeInternal ? QString() : QStringLiteral(" AND is_internal = FALSE"))
                   + u" ORDER BY created_at, id");
    if (Status s = q.bind(QStringLiteral(":ticket"), ticketId).exec(); !s)
        return s.error();
    QList<TicketMessage> out;
    while (q.next()) {
        TicketMessage m;
        m.id = q.value(0).toString();
        m.ticketId = q.value(1).toString();
        m.senderId = q.value(2).toString();
        m.senderRole = parseEnum<Role>(q.value(3).toString()).value_or(Role::Customer);
        m.message = q.value(4).toString();
        m.isInternal = q.value(5).toBool();
        m.createdAt = fromDbTime(q.value(6));
        out << m;
    }
    // One query for the attachments of all the messages, not one per message.
    Result<QHash<QString, QList<Attachment>>> attachments
        = AttachmentRepository(m_db).forTicketMessages(ticketId);
    if (!attachments)
        return attachments.error();
    for (TicketMessage &m : out)
        m.attachments = attachments->value(m.id);
    return out;
}

Result<TicketStats> TicketRepository::stats(const TicketStatsFilter &filter) const
{
    return TicketStatsQuery(m_db).run(filter);
}

} // namespace sb::store
