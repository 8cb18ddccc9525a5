package io.github.alloclab.registry;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings are plain records: the components are the tunables, the canonical constructor validates them.
 * This class reads them by name and makes copies with some components replaced by parsed strings, which is
 * all the CLI needs to accept {@code --set trimThreshold=65536}.
 */
final class RecordSettings {

    private RecordSettings() {
    }

    static Map<String, Object> describe(Record settings) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (RecordComponent c : settings.getClass().getRecordComponents()) {
            values.put(c.getName(), read(c, settings));
        }
        return values;
    }

    @SuppressWarnings("unchecked")
    static <S extends Record> S override(S settings, Map<String, String> overrides) {
        if (overrides.isEmpty()) {
            return settings;
        }
        RecordComponent[] components = settings.getClass().getRecordComponents();
        Map<String, String> pending = new LinkedHashMap<>(overrides);
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            String text = pending.remove(c.getName());
            args[i] = text == null ? read(c, settings) : parse(c, text);
        }
        if (!pending.isEmpty()) {
            throw new IllegalArgumentException("unknown setting '%s'; settings are %s".formatted(
                    pending.keySet().iterator().next(), describe(settings).keySet()));
        }
        try {
            Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            Constructor<S> canonical = (Constructor<S>) settings.getClass().getDeclaredConstructor(types);
            return canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException invalid) {
                throw invalid;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object read(RecordComponent c, Record settings) {
        try {
            return c.getAccessor().invoke(settings);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object parse(RecordComponent c, String text) {
        Class<?> type = c.getType();
        try {
            if (type == long.class) {
                return parseLong(text.trim());
            }
            if (type == int.class) {
                // Not "int ? toIntExact : long" in one expression: that promotes the int back to a long.
                return Math.toIntExact(parseLong(text.trim()));
            }
            if (type == boolean.class) {
                if (!text.equals("true") && !text.equals("false")) {
                    throw new IllegalArgumentException();
                }
                return Boolean.parseBoolean(text);
            }
            if (type == double.class) {
                return Double.parseDouble(text);
            }
            if (type == String.class) {
                return text;
            }
            if (type.isEnum()) {
                for (Object constant : type.getEnumConstants()) {
                    if (constant.toString().equalsIgnoreCase(text)) {
                        return constant;
                    }
                }
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException("setting '%s' needs %s, not '%s'"
                    .formatted(c.getName(), kind(type), text));
        }
        throw new IllegalStateException("settings of type " + type + " cannot be parsed");
    }

    private static String kind(Class<?> type) {
        if (type == long.class || type == int.class) {
            return "a whole number (such as 4096, 64K or 0x1000)";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.toString(type.getEnumConstants());
        }
        return "a " + type.getSimpleName();
    }

    /** Accepts decimal, 0x-hex, and the suffixes K, M and G (powers of 1024). */
    private static long parseLong(String text) {
        if (text.startsWith("0x") || text.startsWith("0X")) {
            return Long.parseLong(text.substring(2), 16);
        }
        long unit = switch (text.isEmpty() ? ' ' : Character.toUpperCase(text.charAt(text.length() - 1))) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1;
        };
        String digits = unit == 1 ? text : text.substring(0, text.length() - 1);
        return Math.multiplyExact(Long.parseLong(digits), unit);
    }
}
