#pragma once

#include <domain/result.h>
#include <server/serversettings.h>

#include <QStringList>

// switchboard-server's arguments, over the environment and the --config file. Answers the
// settings to run with, or an Error whose message is what to print before exiting with 2.
struct CommandLine
{
    sb::server::ServerSettings settings;
    bool exitNow = false; // --help or --version was printed
};

sb::Result<CommandLine> parseCommandLine(const QStringList &arguments);

// Creates the data directory if needed and checks that it is writable.
sb::Status checkDataDir(const QString &path);
