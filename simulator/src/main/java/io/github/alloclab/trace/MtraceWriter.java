package io.github.alloclab.trace;

import java.io.Writer;

/**
 * Writes a glibc {@code mtrace} log, without callers (glibc's {@code mtrace} script accepts lines without the
 * {@code @ caller} part), with addresses from {@link SyntheticAddresses}.
 */
final class MtraceWriter extends TraceWriter {

    private final SyntheticAddresses addresses = new SyntheticAddresses();

    MtraceWriter(Writer out) {
        super(out);
        line("= Start");
    }

    @Override
    public void write(TraceOp op) {
        switch (op.kind()) {
            case ALLOC -> line(builder().append("+ ").append(hex(addresses.allocate(op.id(), op.byteSize())))
                    .append(' ').append(hex(op.byteSize())));
            case REALLOC -> {
                line(builder().append("< ").append(hex(addresses.addressOf(op.id()))));
                line(builder().append("> ").append(hex(addresses.reallocate(op.id(), op.byteSize())))
                        .append(' ').append(hex(op.byteSize())));
            }
            case FREE -> line(builder().append("- ").append(hex(addresses.addressOf(op.id()))));
        }
    }

    @Override
    void finish() {
        line("= End");
    }
}
