#include "storelog.h"

Q_LOGGING_CATEGORY(lcStore, "switchboard.store", QtInfoMsg)
