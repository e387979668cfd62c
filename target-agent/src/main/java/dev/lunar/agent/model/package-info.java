/**
 * The desired-state model: the complete target set one daemon serves ({@link
 * dev.lunar.agent.model.TargetSetSpec}), its targets, LUNs and CHAP accounts. Every configuration
 * front (tgtadm, the YAML file, the Kubernetes IscsiNode) produces it and the engine applies it.
 *
 * <p>The bottom layer of the agent: plain records that import nothing else of Lunar, so that the
 * engine, the SCSI device model and login can all read it without pointing upward.
 */
package dev.lunar.agent.model;
