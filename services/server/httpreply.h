#pragma once

#include <domain/error.h>

#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonObject>

namespace sb::server {

using StatusCode = QHttpServerResponse::StatusCode;

// Every answer of the API is JSON; errors have the one shape of DESIGN.md "REST conventions":
// {"error":{"code":"snake_case","message":"human sentence","details":{...}}}.
QHttpServerResponse jsonResponse(const QJsonObject &body, StatusCode status = StatusCode::Ok);
QHttpServerResponse jsonResponse(const QJsonArray &body, StatusCode status = StatusCode::Ok);
// A body already written as JSON (JsonWriter).
QHttpServerResponse jsonBytesResponse(QByteArray body, StatusCode status = StatusCode::Ok);
QHttpServerResponse errorResponse(StatusCode status, const Error &error);
QHttpServerResponse errorResponse(StatusCode status, const QString &code, const QString &message,
                                  const QJsonObject &details = {});
QByteArray errorBody(const Error &error);

// Headers every answer carries (DESIGN.md, security): no sniffing, no caching of API data.
void addStandardHeaders(QHttpServerResponse &response);

} // namespace sb::server
