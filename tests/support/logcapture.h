#pragma once

#include <QStringList>

namespace sb::test {

// Every log line the process writes, kept for a test to read ("category message"), and still
// passed on to the handler installed before (so the test's output shows them too).
namespace LogCapture {

void install(); // once, in initTestCase
QStringList lines();
void clear();

} // namespace LogCapture

} // namespace sb::test
