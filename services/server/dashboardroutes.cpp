#include "dashboardroutes.h"

#include "apierrors.h"
#include "dashboardservice.h"
#include "replies.h"
#include "servercontext.h"

namespace sb::server {

void registerDashboardRoutes(ApiRouter &router, ServerContext &context)
{
    auto dashboard = std::make_shared<DashboardService>(context);

    router.get(QStringLiteral("/support/dashboard"), Access::agents(), [dashboard](ApiRequest &r) {
        const auto from = r.queryTime(QStringLiteral("from"));
        if (!from)
            return failure(from.error());
        const auto to = r.queryTime(QStringLiteral("to"));
        if (!to)
            return failure(to.error());
        if (from->isValid() && to->isValid() && *to < *from)
            return failure(errors::invalidField(QStringLiteral("to"),
                                                QStringLiteral("must not be before from")));
        const auto built = dashboard->build(r.caller(), *from, *to);
        if (!built)
            return failure(built.error());
        return jsonResponse(dashboardJson(*built));
    });
}

} // namespace sb::server
