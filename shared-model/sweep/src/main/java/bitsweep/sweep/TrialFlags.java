package bitsweep.sweep;

import bitsweep.trial.InvalidTrialConfigException;
import bitsweep.trial.TrialConfig;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code bitsweep train} flags, read from {@link TrialConfig}'s {@code @JsonProperty} names so
 * the sweep format can never drift from the trainer's flags. Converts between a flag map and a
 * {@link TrialConfig}.
 */
final class TrialFlags {

    /** flag name → Java type (String, Double, Integer, Long, Boolean), in record order. */
    static final Map<String, Class<?>> TYPES;
    private static final RecordComponent[] COMPONENTS = TrialConfig.class.getRecordComponents();
    private static final Constructor<TrialConfig> CONSTRUCTOR;

    static {
        Map<String, Class<?>> types = new LinkedHashMap<>();
        for (RecordComponent c : COMPONENTS) {
            types.put(flagName(c), c.getType());
        }
        TYPES = Collections.unmodifiableMap(types);
        try {
            CONSTRUCTOR = TrialConfig.class.getDeclaredConstructor(
                    Arrays.stream(COMPONENTS).map(RecordComponent::getType).toArray(Class<?>[]::new));
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private TrialFlags() {
    }

    private static String flagName(RecordComponent c) {
        JsonProperty p = c.getAccessor().getAnnotation(JsonProperty.class);
        if (p == null) {
            p = c.getAnnotation(JsonProperty.class);
        }
        return p != null && !p.value().isEmpty() ? p.value() : c.getName();
    }

    /** The non-null fields of a config, flag name → value. */
    static Map<String, Object> toMap(TrialConfig config) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (RecordComponent c : COMPONENTS) {
            try {
                Object v = c.getAccessor().invoke(config);
                if (v != null) {
                    map.put(flagName(c), v);
                }
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read TrialConfig." + c.getName(), e);
            }
        }
        return map;
    }

    /** Builds a config from flag values already of the right Java types (see {@link #coerce}). */
    static TrialConfig fromMap(Map<String, Object> flags) {
        for (String key : flags.keySet()) {
            if (!TYPES.containsKey(key)) {
                throw new InvalidTrialConfigException(List.of(key + ": unknown flag"));
            }
        }
        Object[] args = new Object[COMPONENTS.length];
        for (int i = 0; i < COMPONENTS.length; i++) {
            args[i] = flags.get(flagName(COMPONENTS[i]));
        }
        try {
            return CONSTRUCTOR.newInstance(args);
        } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot build TrialConfig", e);
        }
    }

    /**
     * Converts a programmatic value (e.g. an Integer MU from a refinement) to the flag's type, or
     * throws {@link InvalidTrialConfigException} naming the flag and the expected form.
     */
    static Object coerce(String flag, Object value) {
        Class<?> type = TYPES.get(flag);
        if (type == null) {
            throw new InvalidTrialConfigException(List.of(flag + ": unknown flag"));
        }
        if (type.isInstance(value)) {
            return value;
        }
        if (value instanceof Number n) {
            if (type == Double.class) {
                return n.doubleValue();
            }
            boolean integral = n instanceof Integer || n instanceof Long || n instanceof Short;
            if (integral && type == Long.class) {
                return n.longValue();
            }
            if (integral && type == Integer.class && n.longValue() == n.intValue()) {
                return n.intValue();
            }
        }
        throw new InvalidTrialConfigException(List.of(flag + ": expected " + describe(type) + ", got "
                + (value == null ? "null" : value.getClass().getSimpleName() + " " + value)));
    }

    static String describe(Class<?> type) {
        if (type == Double.class) {
            return "a number";
        }
        if (type == Integer.class || type == Long.class) {
            return "an integer";
        }
        if (type == Boolean.class) {
            return "true or false";
        }
        return "a string";
    }
}
