// switchboard-server: argument parsing and wiring only; the server is services/server.
#include "commandline.h"
#include "shutdownsignals.h"

#include <server/serverinstance.h>

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Switchboard"));
    QCoreApplication::setApplicationName(QStringLiteral("switchboard-server"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SWITCHBOARD_VERSION));

    const auto commandLine = parseCommandLine(QCoreApplication::arguments());
    if (!commandLine) {
        std::fprintf(stderr, "switchboard-server: %s\n", qPrintable(commandLine.error().message));
        return 2;
    }
    if (commandLine->exitNow)
        return 0;
    const sb::server::ServerSettings &settings = commandLine->settings;
    if (const sb::Status usable = checkDataDir(settings.dataDir); !usable) {
        std::fprintf(stderr, "switchboard-server: %s\n", qPrintable(usable.error().message));
        return 2;
    }

    // Handlers first: a SIGTERM that arrives right after the "listening" line still drains.
    ShutdownSignals shutdown;
    auto server = sb::server::ServerInstance::start(settings);
    if (!server) {
        std::fprintf(stderr, "switchboard-server: %s\n", qPrintable(server.error().message));
        return server.error().code == u"invalid_database_url" ? 2 : 1;
    }

    // Scripts and tests read this line from a pipe: flush it at once.
    std::printf("listening on %s\n", qPrintable((*server)->baseUrl()));
    std::fflush(stdout);

    QObject::connect(&shutdown, &ShutdownSignals::shutdownRequested, &app, [&](int) {
        (*server)->stop();
        QCoreApplication::quit();
    });
    const int code = QCoreApplication::exec();
    server->reset(); // closes the store before the connections' owner goes away
    return code;
}
