#include "conversationroutes.h"

#include "apierrors.h"
#include "authorizer.h"
#include "bodyreader.h"
#include "conversationservice.h"
#include "replies.h"
#include "servercontext.h"

namespace sb::server {

namespace {

constexpr int kMaxMessage = ConversationService::kMaxMessageLength;

// The filter of GET /support/conversations; a bad value is a 400 naming its parameter.
Result<store::ConversationFilter> readFilter(const ApiRequest &r)
{
    store::ConversationFilter filter;
    const auto paging = r.page();
    if (!paging)
        return paging.error();
    const auto status = r.queryList(QStringLiteral("status"), enumStrings<ConversationStatus>());
    if (!status)
        return status.error();
    if (status->size() > 1) {
        return errors::invalidField(QStringLiteral("status"),
                                    QStringLiteral("takes one value: open or closed"));
    }
    if (status->size() == 1)
        filter.status = parseEnum<ConversationStatus>(status->first());
    const QString assignedTo = r.query(QStringLiteral("assignedTo")).left(100);
    filter.agentId = assignedTo == u"me" ? r.caller().id() : assignedTo;
    filter.customerId = r.query(QStringLiteral("customer")).left(100);
    filter.ticketId = r.query(QStringLiteral("ticket")).left(100);
    filter.limit = paging->limit;
    filter.offset = paging->offset;
    return filter;
}

} // namespace

void registerConversationRoutes(ApiRouter &router, ServerContext &context)
{
    auto conversations = std::make_shared<ConversationService>(context);

    router.postGrouped(QStringLiteral("/support/conversation"), Access::only({Role::Customer}),
                       [conversations](ApiRequest &r) {
                           BodyReader body(r.body());
                           const QString ticketId = body.id("ticketId", false);
                           const QString message = body.text("message", kMaxMessage);
                           if (!body.ok())
                               return failure(body.error());
                           const auto started = conversations->start(r.caller(), ticketId, message);
                           if (!started)
                               return failure(started.error());
                           return jsonResponse(toJson(started->conversation),
                                               started->reused ? StatusCode::Ok
                                                               : StatusCode::Created);
                       });

    router.get(QStringLiteral("/support/conversation/:id"), ticketUsers(),
               [conversations](ApiRequest &r) {
                   return answer(conversations->find(r.caller(), r.arg(0)));
               });

    router.postGrouped(QStringLiteral("/support/conversation/:id/messages"), ticketUsers(),
                       [conversations](ApiRequest &r) {
                           BodyReader body(r.body());
                           const QString message = body.text("message", kMaxMessage);
                           if (!body.ok())
                               return failure(body.error());
                           return answer(conversations->addMessage(r.caller(), r.arg(0), message),
                                         StatusCode::Created);
                       });

    router.get(QStringLiteral("/support/conversations"), ticketUsers(),
               [conversations](ApiRequest &r) {
                   const auto filter = readFilter(r);
                   if (!filter)
                       return failure(filter.error());
                   const auto found = conversations->list(r.caller(), *filter);
                   if (!found)
                       return failure(found.error());
                   QJsonArray items;
                   for (const Conversation &c : found->items) {
                       QJsonObject json = toJson(c);
                       json.remove(QStringLiteral("messages")); // a list holds no messages
                       items.append(json);
                   }
                   return jsonResponse(page(items, found->total, filter->limit, filter->offset));
               });
}

} // namespace sb::server
