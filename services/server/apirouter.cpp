#include "apirouter.h"

#include "apierrors.h"
#include "authenticator.h"
#include "commitgroup.h"
#include "httpreply.h"
#include "metrics.h"
#include "serverlog.h"
#include "serversettings.h"

#include <store/database.h>
#include <store/idempotencyrepository.h>

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QHttpServer>
#include <QJsonDocument>
#include <QJsonParseError>

#include <algorithm>

namespace sb::server {

namespace {

constexpr int kMaxIdempotencyKeyLength = 200;

QString toQtPattern(const QString &path)
{
    QStringList parts = path.split(u'/');
    for (QString &p : parts) {
        if (p.startsWith(u':'))
            p = QStringLiteral("<arg>");
    }
    return QString::fromLatin1(ApiRouter::kPrefix) + parts.join(u'/');
}

qsizetype argumentCount(const QString &path)
{
    return path.count(u':');
}

bool isJsonType(const QByteArray &contentType)
{
    const QByteArray type = contentType.split(';').first().trimmed().toLower();
    return type == "application/json" || type.endsWith("+json");
}

} // namespace

QHttpServerResponse failure(const Error &error)
{
    QHttpServerResponse response = errorResponse(httpStatusFor(error), error);
    const QJsonValue retry = error.details.value(QStringLiteral("retryAfterSeconds"));
    if (retry.isDouble())
        response.setHeader(QByteArrayLiteral("Retry-After"), QByteArray::number(retry.toInt()));
    return response;
}

ApiRouter::ApiRouter(const ServerSettings &settings, store::Database &db, Authenticator &auth,
                     Metrics &metrics)
    : m_settings(settings)
    , m_db(db)
    , m_auth(auth)
    , m_metrics(metrics)
    , m_group(std::make_unique<CommitGroup>(db, metrics, settings.groupCommit))
{ }

ApiRouter::~ApiRouter() = default;

void ApiRouter::finish(QHttpServerResponse &response, const QByteArray &origin) const
{
    if (m_finish)
        m_finish(response, origin);
}

void ApiRouter::closeGroup()
{
    m_group->close();
}

void ApiRouter::get(const QString &path, Access access, Handler handler)
{
    add({Method::Get, path, access, std::move(handler)});
}

void ApiRouter::post(const QString &path, Access access, Handler handler)
{
    add({Method::Post, path, access, std::move(handler)});
}

void ApiRouter::put(const QString &path, Access access, Handler handler)
{
    add({Method::Put, path, access, std::move(handler)});
}

void ApiRouter::postGrouped(const QString &path, Access access, Handler handler)
{
    Route route {Method::Post, path, access, std::move(handler)};
    route.grouped = true;
    add(std::move(route));
}

void ApiRouter::add(Route route)
{
    m_routes.append(std::move(route));
}

QString ApiRouter::methodName(Method method)
{
    switch (method) {
    case Method::Get:
        return QStringLiteral("GET");
    case Method::Post:
        return QStringLiteral("POST");
    case Method::Put:
        return QStringLiteral("PUT");
    case Method::Delete:
        return QStringLiteral("DELETE");
    case Method::Patch:
        return QStringLiteral("PATCH");
    default:
        return QStringLiteral("OTHER");
    }
}

QList<QPair<QString, QString>> ApiRouter::routeList() const
{
    QList<QPair<QString, QString>> out;
    for (const Route &r : m_routes)
        out.append({methodName(r.method), QString::fromLatin1(kPrefix) + r.path});
    return out;
}

void ApiRouter::install(QHttpServer &http)
{
    std::stable_sort(m_routes.begin(), m_routes.end(), [](const Route &a, const Route &b) {
        return argumentCount(a.path) < argumentCount(b.path);
    });
    for (const Route &route : std::as_const(m_routes)) {
        const QString pattern = toQtPattern(route.path);
        // QHttpServer hands path arguments as typed parameters; our handlers take them as a list.
        switch (argumentCount(route.path)) {
        case 0:
            installRoute<>(http, route, pattern);
            break;
        case 1:
            installRoute<QString>(http, route, pattern);
            break;
        case 2:
            installRoute<QString, QString>(http, route, pattern);
            break;
        default:
            qCCritical(lcHttp) << "routes take at most two arguments:" << route.path;
        }
    }
}

template<typename... Args>
void ApiRouter::installRoute(QHttpServer &http, const Route &route, const QString &pattern)
{
    if (route.grouped) {
        // Answered through the responder, possibly after the handler returned.
        http.route(pattern, route.method,
                   [this, &route](const Args &...args, const QHttpServerRequest &req,
                                  QHttpServerResponder &&responder) {
                       dispatchGrouped(route, req, {args...}, std::move(responder));
                   });
    } else {
        http.route(pattern, route.method,
                   [this, &route](const Args &...args, const QHttpServerRequest &req) {
                       closeGroup(); // the answers of earlier requests leave first
                       return dispatch(route, req, {args...});
                   });
    }
}

void ApiRouter::dispatchGrouped(const Route &route, const QHttpServerRequest &http,
                                QStringList args, QHttpServerResponder &&responder)
{
    const QByteArray origin = http.value("Origin");
    m_group->run([&] { return dispatch(route, http, args); }, std::move(responder),
                 [this, origin](QHttpServerResponse &response) { finish(response, origin); });
}

std::optional<Error> ApiRouter::readBody(const Route &route, ApiRequest &request) const
{
    const bool hasBody = route.method == Method::Post || route.method == Method::Put
        || route.method == Method::Patch;
    if (!hasBody)
        return std::nullopt;
    const QByteArray raw = request.rawBody();
    const qint64 limit = route.maxBodyBytes > 0 ? route.maxBodyBytes : m_settings.maxBodyBytes;
    if (raw.size() > limit) {
        return Error::make(QStringLiteral("payload_too_large"),
                           QStringLiteral("The request body is larger than %1 bytes.").arg(limit),
                           {{QStringLiteral("limit"), limit}});
    }
    if (route.body == Body::Raw || raw.trimmed().isEmpty())
        return std::nullopt;
    if (!isJsonType(request.header("Content-Type"))) {
        return Error::make(QStringLiteral("unsupported_media_type"),
                           QStringLiteral("Send the body as JSON with Content-Type: "
                                          "application/json."));
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(raw, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        return Error::make(QStringLiteral("malformed_json"),
                           QStringLiteral("The body is not valid JSON: %1 at offset %2.")
                               .arg(parseError.errorString())
                               .arg(parseError.offset));
    }
    if (!doc.isObject()) {
        return Error::make(QStringLiteral("malformed_json"),
                           QStringLiteral("The body must be a JSON object."));
    }
    request.setBody(doc.object());
    return std::nullopt;
}

QHttpServerResponse ApiRouter::dispatch(const Route &route, const QHttpServerRequest &http,
                                        QStringList args)
{
    QElapsedTimer timer;
    timer.start();
    ApiRequest request(http, std::move(args));

    QHttpServerResponse response = [&]() -> QHttpServerResponse {
        const QByteArray authorization = request.header("Authorization");
        if (route.access.needsSignIn || !authorization.isEmpty()) {
            auto caller = m_auth.authenticate(authorization);
            if (!caller)
                return failure(caller.error());
            request.setCaller(std::move(*caller));
            if (!route.access.allows(request.caller().role()))
                return failure(errors::forbidden());
        }
        if (auto bodyError = readBody(route, request))
            return failure(*bodyError);

        const QByteArray key = request.header("Idempotency-Key");
        if (route.method == Method::Post && !key.isEmpty() && request.signedIn()) {
            if (key.size() > kMaxIdempotencyKeyLength) {
                return failure(
                    errors::invalidField(QStringLiteral("Idempotency-Key"),
                                         QStringLiteral("is longer than 200 characters")));
            }
            return runIdempotent(route, request, QString::fromUtf8(key));
        }
        return run(route, request);
    }();

    const qint64 micros = timer.nsecsElapsed() / 1000;
    const int status = int(response.statusCode());
    m_metrics.recordRequest(methodName(route.method), route.path, status, micros);
    // The path, never the query string or headers: those may carry search text or tokens.
    qCDebug(lcHttp).noquote() << methodName(route.method) << http.url().path() << status
                              << QString::number(micros) + u"us";
    return response;
}

QHttpServerResponse ApiRouter::run(const Route &route, ApiRequest &request)
{
    try {
        return route.handler(request);
    } catch (const std::exception &e) {
        qCCritical(lcHttp).noquote() << "handler failed for" << route.path << ":" << e.what();
    } catch (...) {
        qCCritical(lcHttp).noquote() << "handler failed for" << route.path;
    }
    return failure(Error::make(QStringLiteral("internal_error"),
                               QStringLiteral("Something went wrong on the server.")));
}

// The handler and the stored answer share one transaction: a retry after a crash either finds
// the answer or finds nothing written. Only successes are stored; a refused request changed
// nothing, so a retry is judged afresh.
QHttpServerResponse ApiRouter::runIdempotent(const Route &route, ApiRequest &request,
                                             const QString &key)
{
    const QString userId = request.caller().id();
    const QString path = request.http().url().path();
    const QString bodyHash = QString::fromLatin1(
        QCryptographicHash::hash(request.rawBody(), QCryptographicHash::Sha256).toHex());

    std::optional<QHttpServerResponse> answer;
    const Status done = m_db.transaction([&](QSqlDatabase &db) -> Status {
        store::IdempotencyRepository keys(db);
        const auto stored = keys.find(userId, key);
        if (!stored)
            return stored.error();
        if (*stored) {
            const store::IdempotencyRecord &r = **stored;
            if (r.method != u"POST" || r.path != path || r.requestHash != bodyHash) {
                answer = failure(Error::make(
                    QStringLiteral("idempotency_key_reused"),
                    QStringLiteral("This Idempotency-Key was used for another request.")));
            } else {
                answer = QHttpServerResponse(QByteArrayLiteral("application/json"), r.responseBody,
                                             QHttpServerResponse::StatusCode(r.statusCode));
                answer->setHeader(QByteArrayLiteral("Idempotent-Replayed"),
                                  QByteArrayLiteral("true"));
            }
            return {};
        }
        answer = run(route, request);
        const int status = int(answer->statusCode());
        if (status >= 300)
            return Error::make(QStringLiteral("not_stored"), QString()); // roll back, answer as is
        store::IdempotencyRecord record;
        record.userId = userId;
        record.key = key;
        record.method = QStringLiteral("POST");
        record.path = path;
        record.requestHash = bodyHash;
        record.statusCode = status;
        record.responseBody = answer->data();
        record.createdAt = QDateTime::currentDateTimeUtc();
        return keys.store(record);
    });
    if (answer && (done || done.error().code == u"not_stored"))
        return std::move(*answer);
    return failure(done.error());
}

} // namespace sb::server
