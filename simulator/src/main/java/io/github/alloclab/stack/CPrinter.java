package io.github.alloclab.stack;

import io.github.alloclab.stack.CAst.Assign;
import io.github.alloclab.stack.CAst.Binary;
import io.github.alloclab.stack.CAst.Call;
import io.github.alloclab.stack.CAst.Expr;
import io.github.alloclab.stack.CAst.IncDec;
import io.github.alloclab.stack.CAst.Index;
import io.github.alloclab.stack.CAst.Num;
import io.github.alloclab.stack.CAst.Unary;
import io.github.alloclab.stack.CAst.Var;
import java.util.Map;
import java.util.stream.Collectors;

/** Prints expressions back as C, with only the parentheses precedence needs: the text of a step. */
final class CPrinter {

    private static final Map<String, Integer> PRECEDENCE = Map.ofEntries(
            Map.entry("||", 1), Map.entry("&&", 2), Map.entry("==", 3), Map.entry("!=", 3),
            Map.entry("<", 4), Map.entry("<=", 4), Map.entry(">", 4), Map.entry(">=", 4),
            Map.entry("+", 5), Map.entry("-", 5), Map.entry("*", 6), Map.entry("/", 6), Map.entry("%", 6));
    private static final int UNARY = 7;
    private static final int POSTFIX = 8;

    private CPrinter() {
    }

    static String print(Expr e) {
        return print(e, 0);
    }

    private static String print(Expr e, int context) {
        int own = precedence(e);
        String text = switch (e) {
            case Num n -> Long.toString(n.value());
            case Var v -> v.name();
            case Unary u -> u.op() + (u.operand() instanceof Unary inner && inner.op().equals(u.op())
                    && (u.op().equals("-") || u.op().equals("&")) ? " " : "") + print(u.operand(), UNARY);
            case Binary b -> print(b.left(), own) + " " + b.op() + " " + print(b.right(), own + 1);
            case Assign a -> print(a.target(), 1) + " " + a.op() + " " + print(a.value(), 0);
            case Call c -> c.function() + "(" + c.args().stream().map(CPrinter::print)
                    .collect(Collectors.joining(", ")) + ")";
            case Index i -> print(i.array(), POSTFIX) + "[" + print(i.index(), 0) + "]";
            case IncDec d -> d.prefix() ? d.op() + print(d.target(), UNARY) : print(d.target(), POSTFIX) + d.op();
        };
        return own < context ? "(" + text + ")" : text;
    }

    private static int precedence(Expr e) {
        return switch (e) {
            case Assign a -> 0;
            case Binary b -> PRECEDENCE.get(b.op());
            case Unary u -> UNARY;
            case IncDec d -> d.prefix() ? UNARY : POSTFIX;
            default -> 9;
        };
    }
}
