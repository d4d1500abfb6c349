package bitsweep.export;

/**
 * @param file            written model
 * @param bytes           its size
 * @param opset           ONNX opset used
 * @param removedChannels pruned channels physically removed
 * @param keptZeroChannels pruned channels kept with zero weights because removing them would change the
 *                        function (their constant output feeds a padded conv)
 */
public record ExportSummary(String file, long bytes, int opset, int removedChannels, int keptZeroChannels) {
}
