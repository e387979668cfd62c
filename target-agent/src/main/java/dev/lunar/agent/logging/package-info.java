/**
 * How the agent logs: the context that tags each line with target, initiator and LUN ({@link
 * dev.lunar.agent.logging.LogContext}) and the text or JSON line format ({@link
 * dev.lunar.agent.logging.LogFormatEncoder}, set up by {@link
 * dev.lunar.agent.logging.LogConfigurator}). Imports nothing else of Lunar, so every layer may log
 * with context.
 */
package dev.lunar.agent.logging;
