#pragma once

#include "apirouter.h"
#include "httpreply.h"

#include <domain/jsoncodec.h>
#include <domain/result.h>

#include <QJsonArray>

namespace sb::server {

// A resource answered as itself (DESIGN.md: no envelope), or the failure's uniform error.
template<typename T>
QHttpServerResponse answer(const Result<T> &result, StatusCode ok = StatusCode::Ok)
{
    if (!result)
        return failure(result.error());
    return jsonResponse(toJson(*result), ok);
}

inline QHttpServerResponse answer(const Status &status, StatusCode ok = StatusCode::NoContent)
{
    if (!status)
        return failure(status.error());
    return QHttpServerResponse(ok);
}

// Tickets, bookings and users carry a version; their answers carry it as an entity tag too.
template<typename T>
QHttpServerResponse answerVersioned(const Result<T> &result, StatusCode ok = StatusCode::Ok)
{
    QHttpServerResponse response = answer(result, ok);
    if (result)
        response.setHeader(QByteArrayLiteral("ETag"),
                           '"' + QByteArray::number(result->version) + '"');
    return response;
}

// {items, total, limit, offset}
inline QJsonObject page(const QJsonArray &items, qint64 total, int limit, int offset)
{
    return {{QStringLiteral("items"), items},
            {QStringLiteral("total"), total},
            {QStringLiteral("limit"), limit},
            {QStringLiteral("offset"), offset}};
}

} // namespace sb::server
