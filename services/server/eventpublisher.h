#pragma once

#include <domain/change.h>

namespace sb::server {

// Where committed changes go to reach live clients (the WebSocket hub). Called only after the
// transaction that wrote the change has committed.
class EventPublisher
{
public:
    virtual ~EventPublisher() = default;
    virtual void publish(const Change &change) = 0;
};

} // namespace sb::server
