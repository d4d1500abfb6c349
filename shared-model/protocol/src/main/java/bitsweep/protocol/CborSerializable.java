package bitsweep.protocol;

/**
 * Marker for every message, event and snapshot that may cross a JVM boundary or reach the journal.
 * Bound to Pekko's {@code jackson-cbor} serializer in {@code bitsweep-cluster.conf}; Java
 * serialization is switched off, so a message without this marker fails loudly instead of silently
 * falling back to an unsafe format.
 */
public interface CborSerializable {
}
