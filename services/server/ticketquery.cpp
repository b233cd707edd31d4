#include "ticketquery.h"

#include "apierrors.h"

#include <domain/enums.h>

namespace sb::server {

namespace {

constexpr int kMaxIdLength = 100;
constexpr int kMaxSearchLength = 200;

template<typename E>
Status readEnums(const ApiRequest &r, const QString &name, QList<E> &out)
{
    const auto values = r.queryList(name, enumStrings<E>());
    if (!values)
        return values.error();
    for (const QString &v : *values) {
        if (const auto e = parseEnum<E>(v); e && !out.contains(*e))
            out << *e;
    }
    return {};
}

Result<QString> readId(const ApiRequest &r, const QString &name)
{
    const QString value = r.query(name);
    if (r.hasQuery(name) && (value.isEmpty() || value.size() > kMaxIdLength))
        return errors::invalidField(name, QStringLiteral("must be an id"));
    return value;
}

Status readAssignee(const ApiRequest &r, store::AssigneeFilter &out)
{
    const QString name = QStringLiteral("assignedTo");
    if (!r.hasQuery(name))
        return {};
    const auto value = readId(r, name);
    if (!value)
        return value.error();
    if (*value == u"me")
        out = store::AssigneeFilter::agent(r.caller().id());
    else if (*value == u"unassigned")
        out = store::AssigneeFilter::unassigned();
    else
        out = store::AssigneeFilter::agent(*value);
    return {};
}

Status readSort(const ApiRequest &r, store::TicketFilter &out)
{
    using F = store::TicketSortField;
    static const QList<std::pair<QString, F>> keys = {
        {QStringLiteral("createdAt"), F::CreatedAt},
        {QStringLiteral("updatedAt"), F::UpdatedAt},
        {QStringLiteral("priority"), F::Priority},
        {QStringLiteral("status"), F::Status},
        {QStringLiteral("ticketNumber"), F::TicketNumber},
    };
    const QString name = QStringLiteral("sort");
    if (!r.hasQuery(name))
        return {};
    QString value = r.query(name);
    out.order = store::SortOrder::Ascending;
    if (value.startsWith(u'-')) {
        out.order = store::SortOrder::Descending;
        value = value.mid(1);
    }
    for (const auto &[key, field] : keys) {
        if (key == value) {
            out.sort = field;
            return {};
        }
    }
    return errors::invalidField(
        name,
        QStringLiteral("must be one of createdAt, updatedAt, priority, "
                       "status, ticketNumber, with an optional leading '-'"));
}

} // namespace

Result<store::TicketFilter> ticketFilterFrom(const ApiRequest &r)
{
    store::TicketFilter f;
    if (Status s = readEnums(r, QStringLiteral("status"), f.statuses); !s)
        return s.error();
    if (Status s = readEnums(r, QStringLiteral("priority"), f.priorities); !s)
        return s.error();
    if (Status s = readEnums(r, QStringLiteral("category"), f.categories); !s)
        return s.error();
    if (Status s = readAssignee(r, f.assignedTo); !s)
        return s.error();
    const auto customer = readId(r, QStringLiteral("customer"));
    if (!customer)
        return customer.error();
    f.customerId = *customer;
    const auto booking = readId(r, QStringLiteral("booking"));
    if (!booking)
        return booking.error();
    f.relatedBooking = *booking;

    f.q = r.query(QStringLiteral("q"));
    if (f.q.size() > kMaxSearchLength) {
        return errors::invalidField(
            QStringLiteral("q"),
            QStringLiteral("must have at most %1 characters").arg(kMaxSearchLength));
    }
    const auto from = r.queryTime(QStringLiteral("from"));
    if (!from)
        return from.error();
    const auto to = r.queryTime(QStringLiteral("to"));
    if (!to)
        return to.error();
    if (from->isValid() && to->isValid() && *to <= *from)
        return errors::invalidField(QStringLiteral("to"), QStringLiteral("must be after from"));
    f.createdFrom = *from;
    f.createdTo = *to;

    if (Status s = readSort(r, f); !s)
        return s.error();
    const auto paging = r.page();
    if (!paging)
        return paging.error();
    f.limit = paging->limit;
    f.offset = paging->offset;
    return f;
}

} // namespace sb::server
