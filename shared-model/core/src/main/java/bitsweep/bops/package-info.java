/**
 * BOP accounting (spec §7): per-layer MACs, quantizer groups and their MAC assignment for the
 * regulariser (§5.2), bit widths from deterministic gates, keep ratios with input-channel pruning,
 * and the relative-BOPs report.
 */
package bitsweep.bops;
