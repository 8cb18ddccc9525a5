package io.github.alloclab.stack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The JSON view of a run, which tools consume. Exactly these fields, in this order:
 * <pre>
 * {"convention": "cdecl" | "sysv",
 *  "steps": [{"step": n, "event": "...", "function": "foo", "line": n,
 *             "registers": {"ebp": addr, "esp": addr, "eip": n, "eax": v},
 *             "stack": [{"address": a, "size": s, "label": "...", "value": v}, ...]}],
 *  "fault": null | {"kind": "stack overflow" | "segmentation fault", "address": a, "message": "..."},
 *  "exitCode": n}
 * </pre>
 * Registers are named for the convention ({@code rbp, rsp, rip, rax} under sysv); {@code eip} is a source
 * line. {@code stack} lists the live slots from the highest address down. A run longer than the steps kept
 * lists the first and the last; their numbers show the gap. A stack deeper than the frames kept has one row
 * standing for the frames left out, with a {@code null} value.
 */
public final class StackJson {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StackJson() {
    }

    /** {@return the run as a JSON document} */
    public static String write(StackRun run) {
        ObjectNode root = JSON.createObjectNode();
        root.put("convention", run.convention().key());
        ArrayNode steps = root.putArray("steps");
        for (Step step : run.steps()) {
            ObjectNode s = steps.addObject();
            s.put("step", step.step());
            s.put("event", step.event());
            s.put("function", step.function());
            s.put("line", step.line());
            ObjectNode registers = s.putObject("registers");
            for (Map.Entry<String, Long> r : step.registers().entrySet()) {
                registers.put(r.getKey(), r.getValue());
            }
            ArrayNode stack = s.putArray("stack");
            for (Slot slot : step.stack()) {
                ObjectNode row = stack.addObject();
                row.put("address", slot.address());
                row.put("size", slot.size());
                row.put("label", slot.label());
                if (slot.value() == null) {
                    row.putNull("value");
                } else {
                    row.put("value", slot.value());
                }
            }
        }
        Fault fault = run.fault();
        if (fault == null) {
            root.putNull("fault");
        } else {
            ObjectNode f = root.putObject("fault");
            f.put("kind", fault.kind());
            f.put("address", fault.address());
            f.put("message", fault.message());
        }
        root.put("exitCode", run.exitCode());
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
