#include "bulkroutes.h"

#include "apierrors.h"
#include "bodyreader.h"
#include "bulkticketservice.h"
#include "replies.h"
#include "servercontext.h"

namespace sb::server {

namespace {

QJsonObject outcomeJson(const BulkTicketService::Outcome &outcome)
{
    QJsonObject json {
        {QStringLiteral("id"), outcome.id},
        {QStringLiteral("status"), outcome.error ? QStringLiteral("error") : QStringLiteral("ok")}};
    if (outcome.error) {
        QJsonObject error {{QStringLiteral("code"), outcome.error->code},
                           {QStringLiteral("message"), outcome.error->message}};
        if (!outcome.error->details.isEmpty())
            error.insert(QStringLiteral("details"), outcome.error->details);
        json.insert(QStringLiteral("error"), error);
    }
    return json;
}

} // namespace

void registerBulkRoutes(ApiRouter &router, ServerContext &context)
{
    auto bulk = std::make_shared<BulkTicketService>(context);

    router.post(QStringLiteral("/support/tickets/bulk"), Access::agents(), [bulk](ApiRequest &r) {
        BodyReader body(r.body());
        if (!body.has("ids"))
            return failure(errors::missingField(QStringLiteral("ids")));
        const QStringList ids = body.idList("ids", BulkTicketService::kMaxIds);
        if (body.ok() && ids.isEmpty())
            body.invalid("ids", QStringLiteral("must name at least one ticket"));
        const int given
            = int(body.has("assign")) + int(body.has("status")) + int(body.has("priority"));
        if (body.ok() && given != 1) {
            return failure(Error::make(
                given == 0 ? QStringLiteral("missing_field") : QStringLiteral("invalid_field"),
                QStringLiteral("Give exactly one change: assign, status or priority."),
                {{QStringLiteral("field"), QStringLiteral("assign")}}));
        }
        BulkTicketService::Change change;
        if (body.has("assign"))
            change.assign = body.id("assign");
        change.status = body.enumeration<TicketStatus>("status", false);
        change.priority = body.enumeration<TicketPriority>("priority", false);
        if (!body.ok())
            return failure(body.error());
        const auto outcomes = bulk->apply(ids, change, r.caller());
        if (!outcomes)
            return failure(outcomes.error());
        QJsonArray results;
        for (const auto &outcome : *outcomes)
            results.append(outcomeJson(outcome));
        return jsonResponse(QJsonObject {{QStringLiteral("results"), results}});
    });
}

} // namespace sb::server
