#include "serverlog.h"

Q_LOGGING_CATEGORY(lcServer, "switchboard.server", QtInfoMsg)
Q_LOGGING_CATEGORY(lcHttp, "switchboard.http", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAuth, "switchboard.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcNotify, "switchboard.notify", QtInfoMsg)
Q_LOGGING_CATEGORY(lcJobs, "switchboard.jobs", QtInfoMsg)
