#pragma once

#include <domain/result.h>

#include <QHash>
#include <QHostAddress>
#include <QString>

namespace sb::server {

// Every setting of switchboard-server, with its default. They come, highest first, from the
// command line, the environment, the --config file (KEY=VALUE lines, the same names), and the
// defaults below; the spec's variables keep their names and accept fractions.
struct ServerSettings
{
    QHostAddress listen = QHostAddress::LocalHost;
    quint16 port = 8080;
    QString dataDir;
    QString databaseUrl; // postgres://... ; empty: SQLite file under dataDir
    bool fakeClock = false;

    QString adminEmail;
    QString adminPassword;
    QString adminName = QStringLiteral("Administrator");

    qint64 maxBodyBytes = 1024 * 1024;
    qint64 maxAttachmentBytes = 10 * 1024 * 1024;
    double tokenTtlDays = 30;
    int passwordIterations = 310000;
    QStringList corsOrigins;
    // Rendered ticket answers kept in memory (TicketReadCache); 0 turns it off.
    qint64 readCacheMb = 128;
    // The grouped POSTs of one event-loop turn share one COMMIT (commitgroup.h).
    bool groupCommit = true;

    QString supportEmail = QStringLiteral("support@switchboard.local");
    double completionEscalationHours = 48;
    double autoCompleteDays = 7;
    int minContactAttempts = 3;
    QString smtpUrl;
    QString smsWebhookUrl;
    // The jobs' cron schedules (UTC) and the auto-close delay (DESIGN.md "Scheduler and
    // configuration"); each schedule is checked when it is set.
    QString cronAutoEscalate = QStringLiteral("0 * * * *");
    QString cronCompletionReminders = QStringLiteral("0 */12 * * *");
    QString cronAutoComplete = QStringLiteral("0 2 * * *");
    QString cronSlaBreaches = QStringLiteral("*/5 * * * *");
    QString cronAutoClose = QStringLiteral("0 3 * * *");
    QString cronPurge = QStringLiteral("17 * * * *");
    double autoCloseResolvedDays = 7;
    // E-mail and SMS retries: the first waits deliveryRetrySeconds, each next one twice as long,
    // up to 120 times that (1 h by default); a delivery still unsent after deliveryGiveUpHours
    // has failed.
    double deliveryRetrySeconds = 30;
    double deliveryGiveUpHours = 24;

    // The SQLite file of the store, under dataDir.
    QString sqlitePath() const;

    // Applies KEY=VALUE pairs over the current values; unknown keys are ignored (the environment
    // holds many), known keys with bad values are an error naming the key.
    Status apply(const QHash<QString, QString> &values);

    static QHash<QString, QString> fromEnvironment();
    static Result<QHash<QString, QString>> readConfigFile(const QString &path);

    // "NAME  description (default: ...)" lines for --help.
    static QString describeKeys();
};

} // namespace sb::server
