#include "agentroutes.h"

#include "agentservice.h"
#include "bodyreader.h"
#include "replies.h"
#include "servercontext.h"

namespace sb::server {

void registerAgentRoutes(ApiRouter &router, ServerContext &context)
{
    auto agents = std::make_shared<AgentService>(context);

    router.put(QStringLiteral("/support/agents/me/availability"), Access::agents(),
               [agents](ApiRequest &r) {
                   const auto version = r.ifMatch();
                   if (!version)
                       return failure(version.error());
                   BodyReader body(r.body());
                   const auto status = body.enumeration<Availability>("status");
                   if (!body.ok())
                       return failure(body.error());
                   return answerVersioned(agents->setAvailability(r.caller(), *status, *version));
               });

    router.get(QStringLiteral("/support/agents"), Access::agents(), [agents](ApiRequest &) {
        const auto found = agents->list();
        if (!found)
            return failure(found.error());
        QJsonArray items;
        for (const AgentLoad &load : *found)
            items.append(agentLoadJson(load, true));
        return jsonResponse(QJsonObject {{QStringLiteral("items"), items}});
    });
}

} // namespace sb::server
