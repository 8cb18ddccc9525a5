package io.github.alloclab.trace;

import java.io.Writer;

/** Writes ltrace-style call lines, with addresses from {@link SyntheticAddresses}. */
final class LtraceWriter extends TraceWriter {

    private final SyntheticAddresses addresses = new SyntheticAddresses();

    LtraceWriter(Writer out) {
        super(out);
    }

    @Override
    public void write(TraceOp op) {
        switch (op.kind()) {
            case ALLOC -> line(builder().append("malloc(").append(op.byteSize()).append(") = ")
                    .append(hex(addresses.allocate(op.id(), op.byteSize()))));
            case REALLOC -> {
                long old = addresses.addressOf(op.id());
                line(builder().append("realloc(").append(hex(old)).append(", ").append(op.byteSize())
                        .append(") = ").append(hex(addresses.reallocate(op.id(), op.byteSize()))));
            }
            case FREE -> line(builder().append("free(").append(hex(addresses.addressOf(op.id())))
                    .append(") = <void>"));
        }
    }
}
