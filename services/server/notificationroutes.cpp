#include "notificationroutes.h"

#include "apierrors.h"
#include "notificationinbox.h"
#include "replies.h"
#include "servercontext.h"

namespace sb::server {

void registerNotificationRoutes(ApiRouter &router, ServerContext &context)
{
    auto inbox = std::make_shared<NotificationInbox>(context);

    router.get(QStringLiteral("/notifications"), Access::signedIn(), [inbox](ApiRequest &r) {
        const auto paging = r.page();
        if (!paging)
            return failure(paging.error());
        const QString unread = r.query(QStringLiteral("unread"));
        if (r.hasQuery(QStringLiteral("unread")) && unread != u"true" && unread != u"false") {
            return failure(errors::invalidField(QStringLiteral("unread"),
                                                QStringLiteral("must be true or false")));
        }
        store::NotificationFilter filter;
        filter.unreadOnly = unread == u"true";
        filter.limit = paging->limit;
        filter.offset = paging->offset;
        const auto found = inbox->list(r.caller(), filter);
        if (!found)
            return failure(found.error());
        QJsonObject body
            = page(toJsonArray(found->items), found->total, paging->limit, paging->offset);
        body.insert(QStringLiteral("unread"), found->unread); // for the badge, whatever the filter
        return jsonResponse(body);
    });

    router.postGrouped(
        QStringLiteral("/notifications/:id/read"), Access::signedIn(),
        [inbox](ApiRequest &r) { return answer(inbox->markRead(r.caller(), r.arg(0))); });
}

} // namespace sb::server
