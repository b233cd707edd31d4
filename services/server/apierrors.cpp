#include "apierrors.h"

#include <QHash>

namespace sb::server {

using Code = QHttpServerResponse::StatusCode;

QHttpServerResponse::StatusCode httpStatusFor(const Error &error)
{
    static const QHash<QString, Code> table = {
        {QStringLiteral("invalid_field"), Code::BadRequest},
        {QStringLiteral("missing_field"), Code::BadRequest},
        {QStringLiteral("invalid_query"), Code::BadRequest},
        {QStringLiteral("malformed_json"), Code::BadRequest},
        {QStringLiteral("bad_request"), Code::BadRequest},
        {QStringLiteral("unauthorized"), Code::Unauthorized},
        {QStringLiteral("invalid_credentials"), Code::Unauthorized},
        {QStringLiteral("forbidden"), Code::Forbidden},
        {QStringLiteral("not_found"), Code::NotFound},
        {QStringLiteral("invalid_transition"), Code::Conflict},
        {QStringLiteral("email_taken"), Code::Conflict},
        {QStringLiteral("already_rated"), Code::Conflict},
        {QStringLiteral("already_reviewed"), Code::Conflict},
        {QStringLiteral("not_verified"), Code::Conflict},
        {QStringLiteral("not_resolved"), Code::Conflict},
        {QStringLiteral("ticket_closed"), Code::Conflict},
        {QStringLiteral("conflict"), Code::Conflict},
        {QStringLiteral("no_completion_request"), Code::Conflict},
        {QStringLiteral("completion_not_due"), Code::Conflict},
        {QStringLiteral("followup_not_open"), Code::Conflict},
        {QStringLiteral("insufficient_contact_attempts"), Code::Conflict},
        {QStringLiteral("no_agent_available"), Code::Conflict},
        {QStringLiteral("version_conflict"), Code::PreconditionFailed},
        {QStringLiteral("payload_too_large"), Code::PayloadTooLarge},
        {QStringLiteral("unsupported_media_type"), Code::UnsupportedMediaType},
        {QStringLiteral("idempotency_key_reused"), Code::UnprocessableEntity},
        {QStringLiteral("too_many_attempts"), Code::TooManyRequests},
        {QStringLiteral("storage_error"), Code::InternalServerError},
    };
    return table.value(error.code, Code::InternalServerError);
}

namespace errors {

Error notFound(const QString &what)
{
    return Error::make(QStringLiteral("not_found"), QStringLiteral("No such %1.").arg(what));
}

Error forbidden()
{
    return Error::make(QStringLiteral("forbidden"),
                       QStringLiteral("Your role may not use this part of the API."));
}

Error unauthorized()
{
    return Error::make(QStringLiteral("unauthorized"),
                       QStringLiteral("Sign in first: send Authorization: Bearer <token>."));
}

Error missingField(const QString &field)
{
    return Error::make(QStringLiteral("missing_field"),
                       QStringLiteral("%1 is required.").arg(field),
                       {{QStringLiteral("field"), field}});
}

Error invalidField(const QString &field, const QString &problem)
{
    return Error::make(QStringLiteral("invalid_field"),
                       QStringLiteral("%1 %2.").arg(field, problem),
                       {{QStringLiteral("field"), field}});
}

Error conflict(const QString &code, const QString &message, const QJsonObject &details)
{
    return Error::make(code, message, details);
}

} // namespace errors

} // namespace sb::server
