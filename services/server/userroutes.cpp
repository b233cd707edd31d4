#include "userroutes.h"

#include "bodyreader.h"
#include "replies.h"
#include "servercontext.h"
#include "userservice.h"

#include <QRegularExpression>

namespace sb::server {

namespace {

// `phone` (optional): where SMS notifications go. null or "" clears it; otherwise 6 to 15 digits
// (E.164), an optional leading +, and spaces, dots, dashes or parentheses.
std::optional<QString> readPhone(const QJsonObject &json, BodyReader &body)
{
    const QJsonValue v = json.value(QStringLiteral("phone"));
    if (v.isUndefined())
        return std::nullopt;
    if (v.isNull() || (v.isString() && v.toString().trimmed().isEmpty()))
        return QString();
    static const QRegularExpression pattern(QStringLiteral(R"(^\+?[0-9 .()-]+$)"));
    const QString phone = body.text("phone", 32).trimmed();
    const auto digits
        = std::count_if(phone.cbegin(), phone.cend(), [](QChar c) { return c.isDigit(); });
    if (body.ok() && (!pattern.match(phone).hasMatch() || digits < 6 || digits > 15))
        body.invalid("phone", QStringLiteral("must be a phone number such as +15551234567"));
    return phone;
}

} // namespace

void registerUserRoutes(ApiRouter &router, ServerContext &context)
{
    auto users = std::make_shared<UserService>(context);

    router.post(QStringLiteral("/users"), Access::admins(), [users](ApiRequest &r) {
        BodyReader body(r.body());
        User u;
        u.name = body.text("name", 100);
        u.email = body.text("email", 254);
        const QString password = body.text("password", 200);
        u.role = body.enumeration<Role>("role").value_or(Role::Customer);
        u.phone = readPhone(r.body(), body).value_or(QString());
        if (!body.ok())
            return failure(body.error());
        return answerVersioned(users->create(u, password), StatusCode::Created);
    });

    router.get(QStringLiteral("/users"), Access::admins(), [users](ApiRequest &r) {
        store::UserFilter filter;
        const auto paging = r.page();
        const auto roles = r.queryList(QStringLiteral("role"), enumStrings<Role>());
        if (!paging || !roles)
            return failure(!paging ? paging.error() : roles.error());
        if (roles->size() == 1)
            filter.role = parseEnum<Role>(roles->first());
        if (r.hasQuery(QStringLiteral("active")))
            filter.active = r.query(QStringLiteral("active")) != u"false";
        filter.q = r.query(QStringLiteral("q")).left(100);
        filter.limit = paging->limit;
        filter.offset = paging->offset;
        const auto found = users->list(filter);
        if (!found)
            return failure(found.error());
        return jsonResponse(
            page(toJsonArray(found->items), found->total, paging->limit, paging->offset));
    });

    router.get(QStringLiteral("/users/:id"), Access::admins(),
               [users](ApiRequest &r) { return answerVersioned(users->find(r.arg(0))); });

    router.put(QStringLiteral("/users/:id"), Access::admins(), [users](ApiRequest &r) {
        const auto version = r.ifMatch();
        if (!version)
            return failure(version.error());
        BodyReader body(r.body());
        UserChanges changes;
        if (body.has("name"))
            changes.name = body.text("name", 100);
        if (body.has("email"))
            changes.email = body.text("email", 254);
        changes.role = body.enumeration<Role>("role", false);
        changes.active = body.boolean("active", false);
        changes.phone = readPhone(r.body(), body);
        if (!body.ok())
            return failure(body.error());
        return answerVersioned(users->update(r.arg(0), changes, *version, r.caller()));
    });
}

} // namespace sb::server
