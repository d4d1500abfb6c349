/**
 * The Bayesian Bits quantizer (spec §2–§5): hard-concrete gates, PACT clipping, the scale chain,
 * the residual decomposition with nested gates and STE rounding, range initialisation, the
 * per-quantizer regulariser, and the fixed-bit quantizer of fixed-gate fine-tuning (§9). All tensor
 * math is float32 on the input's (per-batch) manager; only a few gate values are read on the host.
 */
package bitsweep.quant;
