#include "bookingrecord.h"

#include "sqlquery.h"

namespace sb::store {

namespace {

const QStringList kReadOnly = {QStringLiteral("id"), QStringLiteral("customer_id"),
                               QStringLiteral("created_at"), QStringLiteral("version")};

const QStringList kMutable = {
    QStringLiteral("technician_id"),    QStringLiteral("service"),
    QStringLiteral("description"),      QStringLiteral("address"),
    QStringLiteral("scheduled_at"),     QStringLiteral("status"),
    QStringLiteral("cr_requested_by"),  QStringLiteral("cr_requested_at"),
    QStringLiteral("cr_status"),        QStringLiteral("cr_responded_at"),
    QStringLiteral("cr_approved"),      QStringLiteral("cr_feedback"),
    QStringLiteral("cr_issues"),        QStringLiteral("escalation_deadline"),
    QStringLiteral("auto_escalated"),   QStringLiteral("reminder_sent"),
    QStringLiteral("fu_initiated"),     QStringLiteral("fu_initiated_at"),
    QStringLiteral("fu_support_agent"), QStringLiteral("fu_outcome"),
    QStringLiteral("fu_completed_by"),  QStringLiteral("fu_completed_at"),
    QStringLiteral("fu_notes"),         QStringLiteral("updated_at"),
};

QVariant nullText()
{
    return QVariant(QMetaType(QMetaType::QString));
}

QVariant optionalText(bool present, const QString &text)
{
    return present ? QVariant(text) : nullText();
}

} // namespace

QString BookingRecord::columns()
{
    static const QString list = [] {
        QStringList qualified;
        for (const QString &c : kReadOnly + kMutable)
            qualified << u"b." + c;
        return qualified.join(u", ");
    }();
    return list;
}

QString BookingRecord::plainColumns()
{
    static const QString list = (kReadOnly + kMutable).join(u", ");
    return list;
}

const QStringList &BookingRecord::mutableColumns()
{
    return kMutable;
}

void BookingRecord::bindMutable(SqlQuery &q, const Booking &b)
{
    q.bind(QStringLiteral(":technician_id"), dbRef(b.technicianId))
        .bind(QStringLiteral(":service"), b.service)
        .bind(QStringLiteral(":description"), b.description)
        .bind(QStringLiteral(":address"), b.address)
        .bind(QStringLiteral(":scheduled_at"), dbTime(b.scheduledAt))
        .bind(QStringLiteral(":status"), toString(b.status))
        .bind(QStringLiteral(":updated_at"), dbTime(b.updatedAt));

    const bool has = b.completionRequest.has_value();
    const CompletionRequest cr = b.completionRequest.value_or(CompletionRequest {});
    const CustomerResponse &resp = cr.customerResponse;
    const SupportFollowUp &fu = cr.supportFollowUp;
    q.bind(QStringLiteral(":cr_requested_by"), dbRef(cr.requestedBy))
        .bind(QStringLiteral(":cr_requested_at"), dbTime(cr.requestedAt))
        .bind(QStringLiteral(":cr_status"), optionalText(has, toString(cr.status)))
        .bind(QStringLiteral(":cr_responded_at"), dbTime(resp.respondedAt))
        .bind(QStringLiteral(":cr_approved"),
              resp.approved ? QVariant(*resp.approved) : QVariant(QMetaType(QMetaType::Bool)))
        .bind(QStringLiteral(":cr_feedback"), optionalText(has, resp.feedback))
        .bind(QStringLiteral(":cr_issues"), optionalText(has, resp.issues))
        .bind(QStringLiteral(":escalation_deadline"), dbTime(cr.escalationDeadline))
        .bind(QStringLiteral(":auto_escalated"), cr.autoEscalated)
        .bind(QStringLiteral(":reminder_sent"), cr.reminderSent)
        .bind(QStringLiteral(":fu_initiated"), fu.initiated)
        .bind(QStringLiteral(":fu_initiated_at"), dbTime(fu.initiatedAt))
        .bind(QStringLiteral(":fu_support_agent"), dbRef(fu.supportAgent))
        .bind(QStringLiteral(":fu_outcome"),
              fu.outcome ? QVariant(toString(*fu.outcome)) : nullText())
        .bind(QStringLiteral(":fu_completed_by"), dbRef(fu.completedBy))
        .bind(QStringLiteral(":fu_completed_at"), dbTime(fu.completedAt))
        .bind(QStringLiteral(":fu_notes"), optionalText(has, fu.notes));
}

Booking BookingRecord::read(const SqlQuery &q)
{
    auto v = [&](const char *column) {
        return q.value(QLatin1StringView(column));
    };
    auto text = [&](const char *column) {
        return v(column).toString();
    };
    auto time = [&](const char *column) {
        return fromDbTime(v(column));
    };
    auto ref = [&](const char *column) {
        return fromDbRef(v(column));
    };

    Booking b;
    b.id = text("id");
    b.customerId = text("customer_id");
    b.technicianId = ref("technician_id");
    b.service = text("service");
    b.description = text("description");
    b.address = text("address");
    b.scheduledAt = time("scheduled_at");
    b.status = parseEnum<BookingStatus>(text("status")).value_or(BookingStatus::Pending);
    b.createdAt = time("created_at");
    b.updatedAt = time("updated_at");
    b.version = v("version").toInt();
    if (v("cr_status").isNull())
        return b;

    CompletionRequest cr;
    cr.requestedBy = ref("cr_requested_by");
    cr.requestedAt = time("cr_requested_at");
    cr.status = parseEnum<CompletionStatus>(text("cr_status")).value_or(CompletionStatus::Pending);
    cr.customerResponse.respondedAt = time("cr_responded_at");
    if (!v("cr_approved").isNull())
        cr.customerResponse.approved = v("cr_approved").toBool();
    cr.customerResponse.feedback = text("cr_feedback");
    cr.customerResponse.issues = text("cr_issues");
    cr.escalationDeadline = time("escalation_deadline");
    cr.autoEscalated = v("auto_escalated").toBool();
    cr.reminderSent = v("reminder_sent").toBool();
    SupportFollowUp &fu = cr.supportFollowUp;
    fu.initiated = v("fu_initiated").toBool();
    fu.initiatedAt = time("fu_initiated_at");
    fu.supportAgent = ref("fu_support_agent");
    if (!v("fu_outcome").isNull())
        fu.outcome = parseEnum<FollowUpOutcome>(text("fu_outcome"));
    fu.completedBy = ref("fu_completed_by");
    fu.completedAt = time("fu_completed_at");
    fu.notes = text("fu_notes");
    b.completionRequest = cr;
    return b;
}

} // namespace sb::store
