#include "serversettings.h"

#include "cronschedule.h"

#include <QFile>
#include <QProcessEnvironment>
#include <QUrl>

#include <algorithm>
#include <functional>

namespace sb::server {

namespace {

struct Key
{
    const char *name;
    const char *description;
    std::function<bool(ServerSettings &, const QString &)> set;
};

bool setDouble(double &out, const QString &text, double min)
{
    bool ok = false;
    const double v = text.toDouble(&ok);
    if (!ok || v < min)
        return false;
    out = v;
    return true;
}

template<typename Int>
bool setInt(Int &out, const QString &text, qint64 min, qint64 max)
{
    bool ok = false;
    const qint64 v = text.toLongLong(&ok);
    if (!ok || v < min || v > max)
        return false;
    out = static_cast<Int>(v);
    return true;
}

// Checked at start, so that a typo fails loudly rather than every delivery failing later.
bool isUrl(const QString &text, std::initializer_list<QStringView> schemes)
{
    const QUrl url(text, QUrl::StrictMode);
    return url.isValid() && !url.host().isEmpty()
        && std::find(schemes.begin(), schemes.end(), url.scheme()) != schemes.end();
}

bool setCron(QString &out, const QString &text)
{
    if (!CronSchedule::parse(text))
        return false;
    out = text;
    return true;
}

bool setBool(bool &out, const QString &text)
{
    const QString t = text.toLower();
    if (t == u"1" || t == u"true" || t == u"yes" || t == u"on")
        out = true;
    else if (t == u"0" || t == u"false" || t == u"no" || t == u"off" || t.isEmpty())
        out = false;
    else
        return false;
    return true;
}

const QList<Key> &keys()
{
    static const QList<Key> k = {
        {"SWITCHBOARD_LISTEN", "address to listen on (default 127.0.0.1)",
         [](ServerSettings &s, const QString &v) {
             return s.listen.setAddress(v);
         }},
        {"SWITCHBOARD_PORT", "TCP port, 0 for any free one (default 8080)",
         [](ServerSettings &s, const QString &v) {
             return setInt(s.port, v, 0, 65535);
         }},
        {"SWITCHBOARD_DATA_DIR", "directory of the SQLite store and attachments",
         [](ServerSettings &s, const QString &v) {
             s.dataDir = v;
             return !v.isEmpty();
         }},
        {"SWITCHBOARD_DATABASE_URL", "postgres://user:password@host:port/db (default: SQLite)",
         [](ServerSettings &s, const QString &v) {
             s.databaseUrl = v;
             return true;
         }},
        {"SWITCHBOARD_FAKE_CLOCK", "1 enables POST /admin/clock (tests and demos only)",
         [](ServerSettings &s, const QString &v) {
             return setBool(s.fakeClock, v);
         }},
        {"SWITCHBOARD_ADMIN_EMAIL", "e-mail of the first admin, created at first start",
         [](ServerSettings &s, const QString &v) {
             s.adminEmail = v;
             return true;
         }},
        {"SWITCHBOARD_ADMIN_PASSWORD", "password of the first admin",
         [](ServerSettings &s, const QString &v) {
             s.adminPassword = v;
             return true;
         }},
        {"SWITCHBOARD_ADMIN_NAME", "name of the first admin (default Administrator)",
         [](ServerSettings &s, const QString &v) {
             s.adminName = v;
             return !v.isEmpty();
         }},
        {"SWITCHBOARD_MAX_BODY_BYTES", "largest JSON request body (default 1 MiB)",
         [](ServerSettings &s, const QString &v) {
             return setInt(s.maxBodyBytes, v, 1024, 1LL << 30);
         }},
        {"SWITCHBOARD_MAX_ATTACHMENT_BYTES", "largest attachment upload (default 10 MiB)",
         [](ServerSettings &s, const QString &v) {
             return setInt(s.maxAttachmentBytes, v, 1, 1LL << 32);
         }},
        {"SWITCHBOARD_READ_CACHE_MB",
         "memory for rendered ticket answers; 0 turns it off (default 128)",
         [](ServerSettings &s, const QString &v) {
             return setInt(s.readCacheMb, v, 0, 1LL << 20);
         }},
        {"SWITCHBOARD_GROUP_COMMIT",
         "1: messages and tickets posted together share one commit; 0: one each (default 1)",
         [](ServerSettings &s, const QString &v) {
             return setBool(s.groupCommit, v);
         }},
        {"SWITCHBOARD_TOKEN_TTL_DAYS", "days a sign-in token lives (default 30)",
         [](ServerSettings &s, const QString &v) {
             return setDouble(s.tokenTtlDays, v, 0.0001);
         }},
        {"SWITCHBOARD_PASSWORD_ITERATIONS",
         "PBKDF2-SHA256 iterations for new hashes (default 310000)",
         [](ServerSettings &s, const QString &v) {
             return setInt(s.passwordIterations, v, 1000, 10000000);
         }},
        {"SWITCHBOARD_CORS_ORIGINS", "comma-separated origins allowed by CORS (default none)",
         [](ServerSettings &s, const QString &v) {
             s.corsOrigins = v.split(u',', Qt::SkipEmptyParts);
             for (QString &o : s.corsOrigins)
                 o = o.trimmed();
             return true;
         }},
        {"SUPPORT_EMAIL", "sender address of e-mail notifications",
         [](ServerSettings &s, const QString &v) {
             s.supportEmail = v;
             return v.contains(u'@');
         }},
        {"COMPLETION_ESCALATION_HOURS", "hours a customer has to answer a completion request (48)",
         [](ServerSettings &s, const QString &v) {
             return setDouble(s.completionEscalationHours, v, 0.000001);
         }},
        {"AUTO_COMPLETE_DAYS",
         "days after follow-up before an unreachable customer's job completes (7)",
         [](ServerSettings &s, const QString &v) {
             return setDouble(s.autoCompleteDays, v, 0.000001);
         }},
        {"MIN_CONTACT_ATTEMPTS", "failed contact attempts needed before auto-completion (3)",
         [](ServerSettings &s, const QString &v) {
             return setInt(s.minContactAttempts, v, 0, 1000);
         }},
        {"SMTP_URL", "smtp://user:password@host:port for e-mail (default: logged only)",
         [](ServerSettings &s, const QString &v) {
             s.smtpUrl = v;
             return v.isEmpty() || isUrl(v, {u"smtp", u"smtps"});
         }},
        {"SMS_WEBHOOK_URL", "HTTP endpoint that sends SMS (default: logged only)",
         [](ServerSettings &s, const QString &v) {
             s.smsWebhookUrl = v;
             return v.isEmpty() || isUrl(v, {u"http", u"https"});
         }},
        {"SWITCHBOARD_DELIVERY_RETRY_SECONDS",
         "first retry delay of e-mail and SMS, doubling up to 120 times it (default 30)",
         [](ServerSettings &s, const QString &v) {
             return setDouble(s.deliveryRetrySeconds, v, 0.01);
         }},
        {"SWITCHBOARD_DELIVERY_GIVE_UP_HOURS", "hours before an unsent e-mail or SMS fails (24)",
         [](ServerSettings &s, const QString &v) {
             return setDouble(s.deliveryGiveUpHours, v, 0.0001);
         }},
        {"SWITCHBOARD_CRON_AUTO_ESCALATE",
         "cron schedule (UTC) of autoEscalateCompletionRequests (0 * * * *)",
         [](ServerSettings &s, const QString &v) {
             return setCron(s.cronAutoEscalate, v);
         }},
        {"SWITCHBOARD_CRON_COMPLETION_REMINDERS",
         "cron schedule (UTC) of sendCompletionReminders (0 */12 * * *)",
         [](ServerSettings &s, const QString &v) {
             return setCron(s.cronCompletionReminders, v);
         }},
        {"SWITCHBOARD_CRON_AUTO_COMPLETE",
         "cron schedule (UTC) of autoCompleteUnreachable (0 2 * * *)",
         [](ServerSettings &s, const QString &v) {
             return setCron(s.cronAutoComplete, v);
         }},
        {"SWITCHBOARD_CRON_SLA_BREACHES", "cron schedule (UTC) of markSlaBreaches (*/5 * * * *)",
         [](ServerSettings &s, const QString &v) {
             return setCron(s.cronSlaBreaches, v);
         }},
        {"SWITCHBOARD_CRON_AUTO_CLOSE",
         "cron schedule (UTC) of autoCloseResolvedTickets (0 3 * * *)",
         [](ServerSettings &s, const QString &v) {
             return setCron(s.cronAutoClose, v);
         }},
        {"SWITCHBOARD_CRON_PURGE",
         "cron schedule (UTC) of purgeExpiredData: stale uploads, sessions, keys (17 * * * *)",
         [](ServerSettings &s, const QString &v) {
             return setCron(s.cronPurge, v);
         }},
        {"SWITCHBOARD_AUTO_CLOSE_DAYS",
         "days a resolved ticket waits without activity before it is closed (7)",
         [](ServerSettings &s, const QString &v) {
             return setDouble(s.autoCloseResolvedDays, v, 0.000001);
         }},
    };
    return k;
}

} // namespace

QString ServerSettings::sqlitePath() const
{
    return dataDir + QStringLiteral("/switchboard.sqlite");
}

Status ServerSettings::apply(const QHash<QString, QString> &values)
{
    for (const Key &key : keys()) {
        const QString name = QString::fromLatin1(key.name);
        const auto it = values.constFind(name);
        if (it == values.cend())
            continue;
        if (!key.set(*this, it.value().trimmed())) {
            return Error::make(
                QStringLiteral("invalid_setting"),
                QStringLiteral("%1 has an invalid value: %2").arg(name, key.description),
                {{QStringLiteral("field"), name}});
        }
    }
    return {};
}

QHash<QString, QString> ServerSettings::fromEnvironment()
{
    QHash<QString, QString> out;
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const Key &key : keys()) {
        const QString name = QString::fromLatin1(key.name);
        if (env.contains(name))
            out.insert(name, env.value(name));
    }
    return out;
}

Result<QHash<QString, QString>> ServerSettings::readConfigFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        return Error::make(QStringLiteral("config_unreadable"),
                           QStringLiteral("Cannot read the configuration file %1: %2")
                               .arg(path, file.errorString()));
    }
    QHash<QString, QString> out;
    int lineNumber = 0;
    while (!file.atEnd()) {
        ++lineNumber;
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty() || line.startsWith(u'#'))
            continue;
        const qsizetype eq = line.indexOf(u'=');
        if (eq <= 0) {
            return Error::make(
                QStringLiteral("config_invalid"),
                QStringLiteral("%1:%2: expected KEY=VALUE").arg(path).arg(lineNumber));
        }
        QString value = line.mid(eq + 1).trimmed();
        if (value.size() >= 2 && (value.startsWith(u'"') && value.endsWith(u'"')))
            value = value.mid(1, value.size() - 2);
        out.insert(line.left(eq).trimmed(), value);
    }
    return out;
}

QString ServerSettings::describeKeys()
{
    QString out;
    for (const Key &key : keys())
        out += QStringLiteral("  %1\n      %2\n")
                   .arg(QString::fromLatin1(key.name), QString::fromLatin1(key.description));
    return out;
}

} // namespace sb::server
