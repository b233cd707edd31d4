#include "commandline.h"

#include <QCommandLineParser>
#include <QDir>
#include <QStandardPaths>
#include <QTemporaryFile>

#include <cstdio>

using sb::Error;
using sb::server::ServerSettings;

namespace {

Error usage(const QString &message)
{
    return Error::make(QStringLiteral("bad_arguments"),
                       message + QStringLiteral("\nTry 'switchboard-server --help'."));
}

} // namespace

sb::Result<CommandLine> parseCommandLine(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Switchboard server: the support desk's REST API, real-time events and "
                       "escalation timers.\n\nSettings (environment or --config file):\n")
        + ServerSettings::describeKeys());
    const QCommandLineOption listen(QStringLiteral("listen"),
                                    QStringLiteral("Address to listen on."),
                                    QStringLiteral("address"));
    const QCommandLineOption port(QStringLiteral("port"),
                                  QStringLiteral("TCP port; 0 takes any free port."),
                                  QStringLiteral("port"));
    const QCommandLineOption dataDir(QStringLiteral("data-dir"),
                                     QStringLiteral("Directory of the store and attachments."),
                                     QStringLiteral("dir"));
    const QCommandLineOption config(QStringLiteral("config"),
                                    QStringLiteral("File of KEY=VALUE settings."),
                                    QStringLiteral("file"));
    const QCommandLineOption fakeClock(QStringLiteral("fake-clock"),
                                       QStringLiteral("Business clock that POST /admin/clock moves "
                                                      "(tests and demos only)."));
    parser.addOptions({listen, port, dataDir, config, fakeClock});
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();

    if (!parser.parse(arguments))
        return usage(parser.errorText());
    if (!parser.positionalArguments().isEmpty())
        return usage(
            QStringLiteral("Unexpected argument: %1").arg(parser.positionalArguments().first()));

    CommandLine out;
    if (parser.isSet(help) || parser.isSet(version)) {
        const QString text = parser.isSet(help)
            ? parser.helpText()
            : QStringLiteral("switchboard-server %1\n").arg(QCoreApplication::applicationVersion());
        std::fputs(qPrintable(text), stdout);
        out.exitNow = true;
        return out;
    }

    ServerSettings &s = out.settings;
    s.dataDir = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    if (parser.isSet(config)) {
        const auto values = ServerSettings::readConfigFile(parser.value(config));
        if (!values)
            return usage(values.error().message);
        if (sb::Status applied = s.apply(*values); !applied)
            return usage(applied.error().message);
    }
    if (sb::Status applied = s.apply(ServerSettings::fromEnvironment()); !applied)
        return usage(applied.error().message);

    // Options override the environment; an option's error names the option, not the variable.
    const QList<std::pair<QCommandLineOption, const char *>> optionKeys = {
        {listen, "SWITCHBOARD_LISTEN"},
        {port, "SWITCHBOARD_PORT"},
        {dataDir, "SWITCHBOARD_DATA_DIR"},
    };
    for (const auto &[option, key] : optionKeys) {
        if (!parser.isSet(option))
            continue;
        if (!s.apply({{QString::fromLatin1(key), parser.value(option)}})) {
            return usage(QStringLiteral("--%1: '%2' is not valid.")
                             .arg(option.names().constFirst(), parser.value(option)));
        }
    }
    if (parser.isSet(fakeClock))
        s.fakeClock = true;
    return out;
}

sb::Status checkDataDir(const QString &path)
{
    const auto unusable = [&](const QString &why) {
        return Error::make(
            QStringLiteral("data_dir_unusable"),
            QStringLiteral("The data directory %1 cannot be used: %2").arg(path, why));
    };
    if (path.isEmpty())
        return unusable(QStringLiteral("no directory was given."));
    QDir dir(path);
    if (!dir.exists() && !QDir().mkpath(path))
        return unusable(QStringLiteral("it cannot be created."));
    QTemporaryFile probe(dir.filePath(QStringLiteral(".write-test-XXXXXX")));
    if (!probe.open())
        return unusable(QStringLiteral("it is not writable."));
    return {};
}
