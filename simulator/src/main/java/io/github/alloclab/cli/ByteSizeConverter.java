package io.github.alloclab.cli;

import java.util.Locale;
import picocli.CommandLine;

/** Parses a byte count: {@code 5000}, {@code 0x1000}, {@code 64K}, {@code 8M}, {@code 1G}. */
final class ByteSizeConverter implements CommandLine.ITypeConverter<Long> {

    @Override
    public Long convert(String value) {
        String text = value.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (text.endsWith("K") || text.endsWith("M") || text.endsWith("G")) {
            unit = switch (text.charAt(text.length() - 1)) {
                case 'K' -> 1L << 10;
                case 'M' -> 1L << 20;
                default -> 1L << 30;
            };
            text = text.substring(0, text.length() - 1);
        }
        try {
            long number = text.startsWith("0X") ? Long.parseLong(text.substring(2), 16) : Long.parseLong(text);
            return Math.multiplyExact(number, unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a byte count such as 5000, 0x1000 or 64K");
        }
    }
}
