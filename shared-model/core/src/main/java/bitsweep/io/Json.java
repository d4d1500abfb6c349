package bitsweep.io;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON mappers of BitSweep: one base configuration and the few variants the file formats need. Every
 * JSON BitSweep reads or writes goes through here, so a format is changed (or kept) in one place.
 * (Pekko's CBOR serializer for cluster messages and the journal has its own configuration, in
 * {@code bitsweep-cluster.conf}.)
 *
 * <p>The mappers are shared: never reconfigure one; derive an {@code ObjectWriter}/{@link ObjectReader}
 * (immutable) or {@link ObjectMapper#copy()} it. Every existing file must keep its bytes: results,
 * checkpoints and journals of earlier versions are read back, and trial ids hash {@link #CANONICAL}'s output.
 */
public final class Json {
    /** Jackson's defaults, compact: API bodies, trials.jsonl lines, small embedded documents. */
    public static final ObjectMapper MAPPER = base().build();

    /** Indented, for files people read too: frontier.json, validation.json, the CLI's JSON output. */
    public static final ObjectMapper PRETTY = base().enable(SerializationFeature.INDENT_OUTPUT).build();

    /**
     * Indented and without null fields: result.json and checkpoint metadata, whose optional values are
     * absent rather than null (also the overlay of flags onto a checkpoint's config: an unset flag is absent).
     */
    public static final ObjectMapper PRETTY_NON_NULL = base().enable(SerializationFeature.INDENT_OUTPUT)
            .serializationInclusion(JsonInclude.Include.NON_NULL).build();

    /**
     * The text trial ids are hashed over: compact, map entries in key order whatever map the caller built.
     * Changing its output changes every trial id, orphaning existing results (TrialIdTest pins it).
     */
    public static final ObjectMapper CANONICAL = base().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    /**
     * Reads files another version may have written (checkpoints, artifacts): fields it does not know,
     * added by a newer version, are skipped instead of failing.
     */
    public static final ObjectReader TOLERANT_READER = MAPPER.reader()
            .without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {
    }

    /**
     * What every variant shares: Jackson's defaults, except that a value without properties is written
     * as {@code {}} rather than failing, as Pekko's serializer does, so that what the journal stored the
     * trials file can write too.
     */
    private static JsonMapper.Builder base() {
        return JsonMapper.builder().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    }
}
