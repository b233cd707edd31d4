#pragma once

#include <QByteArray>
#include <QHash>
#include <QString>

#include <array>

namespace sb::server {

// Request counters and latency histograms by route, rendered in Prometheus text format for
// GET /metrics. Single-threaded: the HTTP server calls it from its own thread.
class Metrics
{
public:
    void recordRequest(const QString &method, const QString &route, int status, qint64 micros);
    void setGauge(const QString &name, double value) { m_gauges.insert(name, value); }
    QByteArray render() const;

private:
    static constexpr std::array<double, 10> kBucketsSeconds
        = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1.0};
    struct Histogram
    {
        std::array<quint64, kBucketsSeconds.size()> buckets {};
        quint64 count = 0;
        double sumSeconds = 0;
    };
    QHash<QString, quint64> m_requests; // "method|route|status"
    QHash<QString, Histogram> m_latency; // "method|route"
    QHash<QString, double> m_gauges;
};

} // namespace sb::server
