#pragma once

#include <domain/error.h>

#include <QHttpServerResponse>
#include <QString>

namespace sb::server {

// The errors the API answers, by code. Services say what went wrong (an Error with a code);
// this one table says which HTTP status that is, so no handler picks a status by hand.
QHttpServerResponse::StatusCode httpStatusFor(const Error &error);

namespace errors {
Error notFound(const QString &what = QStringLiteral("resource"));
Error forbidden();
Error unauthorized();
Error missingField(const QString &field);
Error invalidField(const QString &field, const QString &problem);
Error conflict(const QString &code, const QString &message, const QJsonObject &details = {});
} // namespace errors

} // namespace sb::server
