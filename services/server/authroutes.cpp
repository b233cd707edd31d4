#include "authroutes.h"

#include "authservice.h"
#include "bodyreader.h"
#include "replies.h"
#include "servercontext.h"

#include <store/userrepository.h>

#include <memory>

namespace sb::server {

void registerAuthRoutes(ApiRouter &router, ServerContext &context)
{
    // One service for every route: the login throttle is its state.
    auto auth = std::make_shared<AuthService>(context);

    router.post(QStringLiteral("/auth/register"), Access::everyone(), [auth](ApiRequest &r) {
        BodyReader body(r.body());
        const QString name = body.text("name", 100);
        const QString email = body.text("email", 254);
        const QString password = body.text("password", 200);
        if (!body.ok())
            return failure(body.error());
        return answer(auth->registerCustomer(name, email, password), StatusCode::Created);
    });

    router.post(QStringLiteral("/auth/login"), Access::everyone(), [auth](ApiRequest &r) {
        BodyReader body(r.body());
        const QString email = body.text("email", 254);
        const QString password = body.text("password", 200);
        if (!body.ok())
            return failure(body.error());
        const auto signedIn = auth->login(email, password, r.remoteAddress().toString());
        if (!signedIn)
            return failure(signedIn.error());
        return jsonResponse(QJsonObject {{QStringLiteral("token"), signedIn->token},
                                         {QStringLiteral("user"), toJson(signedIn->user)}});
    });

    router.post(QStringLiteral("/auth/logout"), Access::signedIn(),
                [auth](ApiRequest &r) { return answer(auth->logout(r.caller())); });

    router.get(QStringLiteral("/auth/me"), Access::signedIn(), [&context](ApiRequest &r) {
        // Fresh from the store: the cached caller may be a second old.
        const auto found = store::UserRepository(context.db.connection()).findById(r.caller().id());
        if (!found)
            return failure(found.error());
        return jsonResponse(toJson(found->value_or(r.caller().user)));
    });

    router.put(QStringLiteral("/auth/password"), Access::signedIn(), [auth](ApiRequest &r) {
        BodyReader body(r.body());
        const QString current = body.text("currentPassword", 200);
        const QString next = body.text("newPassword", 200);
        if (!body.ok())
            return failure(body.error());
        return answer(auth->changePassword(r.caller(), current, next));
    });
}

} // namespace sb::server
