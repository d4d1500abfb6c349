package bitsweep.trial;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between a flag map (flag name → value, as the command line and sweep files produce) and a
 * {@link TrialConfig}. The {@link TrialFlag} table and the record's components correspond one to one,
 * in order (pinned by {@code TrialFlagTableTest}), so the i-th flag is the i-th component.
 */
public final class TrialFlags {
    private static final RecordComponent[] COMPONENTS = TrialConfig.class.getRecordComponents();
    private static final Constructor<TrialConfig> CONSTRUCTOR;

    static {
        try {
            CONSTRUCTOR = TrialConfig.class.getDeclaredConstructor(
                    Arrays.stream(COMPONENTS).map(RecordComponent::getType).toArray(Class<?>[]::new));
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private TrialFlags() {
    }

    /** The value of one flag in a config; null when unset. */
    public static Object get(TrialConfig config, TrialFlag flag) {
        RecordComponent c = COMPONENTS[flag.ordinal()];
        try {
            return c.getAccessor().invoke(config);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read TrialConfig." + c.getName(), e);
        }
    }

    /** The non-null fields of a config, flag name → value, in table order. */
    public static Map<String, Object> toMap(TrialConfig config) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (TrialFlag flag : TrialFlag.values()) {
            Object v = get(config, flag);
            if (v != null) {
                map.put(flag.flagName(), v);
            }
        }
        return map;
    }

    /**
     * What a trial id hashes of a config, flag name → value, in table order: each set flag as its
     * {@link TrialFlag#inTrialId()} says (left out, only whether it is set, or its value).
     */
    public static Map<String, Object> toTrialIdMap(TrialConfig config) {
        Map<String, Object> map = new LinkedHashMap<>();
        toMap(config).forEach((flagName, value) -> {
            Object hashed = TrialFlag.named(flagName).inTrialId().hashed(value);
            if (hashed != null) {
                map.put(flagName, hashed);
            }
        });
        return map;
    }

    /**
     * Builds a config from flag values, each converted by {@link #coerce}; flags left out stay null.
     *
     * @throws InvalidTrialConfigException naming the flag when one is unknown or of the wrong type
     */
    public static TrialConfig fromMap(Map<String, Object> flags) {
        Object[] args = new Object[COMPONENTS.length];
        for (Map.Entry<String, Object> e : flags.entrySet()) {
            TrialFlag flag = known(e.getKey());
            args[flag.ordinal()] = e.getValue() == null ? null : coerce(flag.flagName(), e.getValue());
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
    public static Object coerce(String flagName, Object value) {
        Class<?> type = known(flagName).type();
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
        throw new InvalidTrialConfigException(List.of(flagName + ": expected " + TrialFlag.named(flagName).expected()
                + ", got " + (value == null ? "null" : value.getClass().getSimpleName() + " " + value)));
    }

    private static TrialFlag known(String flagName) {
        TrialFlag flag = TrialFlag.named(flagName);
        if (flag == null) {
            throw new InvalidTrialConfigException(List.of(flagName + ": unknown flag"));
        }
        return flag;
    }
}
