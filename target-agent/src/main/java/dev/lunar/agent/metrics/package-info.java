/**
 * Observability of the agent: every meter it publishes ({@link
 * dev.lunar.agent.metrics.MetricNames}), declared per component on an injected Micrometer registry
 * ({@link dev.lunar.agent.metrics.AgentMetrics}), the HTTP endpoint that serves them to Prometheus
 * ({@link dev.lunar.agent.metrics.MetricsServer}), and the logging context that tags log lines with
 * target, initiator and LUN ({@link dev.lunar.agent.logging.LogContext}).
 */
package dev.lunar.agent.metrics;
