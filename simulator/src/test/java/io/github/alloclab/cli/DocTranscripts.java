package io.github.alloclab.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The transcripts in the docs, and how their shown output is compared with a real run. The convention is the one
 * {@code docs/index.md} states for lesson writers:
 *
 * <ul>
 *   <li>a fenced code block whose first line starts with {@code $ } is a transcript. Each {@code $ ./alloclab ARGS}
 *       line in it is run, and the lines up to the next {@code $ } line are its exact output (stdout, then
 *       stderr). {@code $ } lines of other programs are shown, not run;</li>
 *   <li>a line {@code ...} in the output stands for any number of lines (an abridged output);</li>
 *   <li>an HTML comment on the last non-blank line before the fence, {@code <!-- docs-test: KEY; KEY=VALUE -->},
 *       says what varies: {@code skip-output} (run it, check only the exit code), {@code exit=N} (the expected
 *       exit code; 0 when absent), {@code varies=COLUMN,COLUMN} (table columns whose cells are timings),
 *       {@code excerpt-of=./alloclab ARGS} (the block is consecutive lines of that command's output), and
 *       {@code not-run} (a synopsis, or a command that needs something the test cannot give it);</li>
 *   <li>trailing whitespace and trailing blank lines never count; nor do the device, inode and directory of a
 *       file-backed {@code /proc/PID/maps} line, which are the machine's.</li>
 * </ul>
 */
final class DocTranscripts {

    static final String ELISION = "...";

    private static final Pattern FENCE = Pattern.compile("^\\s*(`{3,})(.*)$");
    private static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*docs-test:(.*?)-->\\s*$");
    private static final Pattern ALLOCLAB = Pattern.compile("^\\s*(\\$\\s+)?\\./alloclab(\\s|$)");
    /** A file-backed /proc/PID/maps line: range, permissions, offset, then the machine's device, inode, path. */
    private static final Pattern MAPS_FILE_LINE = Pattern.compile(
            "^([0-9a-f]+-[0-9a-f]+ [r-][w-][x-][ps] [0-9a-f]{8}) [0-9a-f]{2,}:[0-9a-f]{2,} [1-9][0-9]* +\\S*?([^/\\s]+)$");

    private DocTranscripts() {
    }

    /** One fenced code block, with the markers before it and the line its fence opens on (1-based). */
    record Block(String file, int line, String info, List<String> lines, Map<String, String> markers) {

        boolean isTranscript() {
            return !lines.isEmpty() && lines.getFirst().startsWith("$ ");
        }

        boolean has(String marker) {
            return markers.containsKey(marker);
        }

        int expectedExit() {
            return Integer.parseInt(markers.getOrDefault("exit", "0"));
        }

        List<String> variableColumns() {
            String columns = markers.get("varies");
            return columns == null ? List.of() : Arrays.stream(columns.split(",")).map(String::strip).toList();
        }

        /** {@return the commands of a transcript, each with its shown output} */
        List<Shown> commands() {
            List<Shown> shown = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                String command = lines.get(i);
                if (!command.startsWith("$ ")) {
                    continue;
                }
                int end = i + 1;
                while (end < lines.size() && !lines.get(end).startsWith("$ ")) {
                    end++;
                }
                String text = command.substring(2).strip();
                if (text.startsWith("./alloclab")) {
                    shown.add(new Shown(this, line + 1 + i, text, lines.subList(i + 1, end)));
                }
            }
            return shown;
        }

        /** {@return the lines that name an alloclab command} */
        List<String> alloclabLines() {
            return lines.stream().filter(l -> ALLOCLAB.matcher(l).find()).toList();
        }

        String where() {
            return file + ":" + line;
        }
    }

    /** A command as the docs show it (on line {@code line}), and the output they show for it. */
    record Shown(Block block, int line, String command, List<String> output) {
    }

    /** {@return the fenced code blocks of a Markdown file} */
    static List<Block> blocks(String file, String markdown) {
        List<Block> blocks = new ArrayList<>();
        List<String> lines = markdown.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) {
                continue;
            }
            int close = i + 1;
            while (close < lines.size() && !lines.get(close).strip().equals(open.group(1))) {
                close++;
            }
            blocks.add(new Block(file, i + 1, open.group(2).strip(), List.copyOf(lines.subList(i + 1,
                    Math.min(close, lines.size()))), markersBefore(lines, i)));
            i = close;
        }
        return blocks;
    }

    private static Map<String, String> markersBefore(List<String> lines, int fence) {
        Map<String, String> markers = new HashMap<>();
        int j = fence - 1;
        while (j >= 0 && lines.get(j).isBlank()) {
            j--;
        }
        Matcher m = j >= 0 ? MARKER.matcher(lines.get(j)) : null;
        if (m != null && m.matches()) {
            for (String item : m.group(1).split(";")) {
                String[] kv = item.strip().split("=", 2);
                if (!kv[0].isEmpty()) {
                    markers.put(kv[0].strip(), kv.length > 1 ? kv[1].strip() : "");
                }
            }
        }
        return markers;
    }

    /**
     * Splits a shell command line into words: single and double quotes group, a {@code #} after a blank starts a
     * comment, and {@code |} outside quotes is a word of its own.
     */
    static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else if (c == '#' && word == null) {
                break;
            } else if (c == '|') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                words.add("|");
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unclosed quote in: " + command);
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    /** {@return the text's lines as compared: trailing whitespace, trailing blank lines and machine facts gone} */
    static List<String> normalise(List<String> lines, List<String> variableColumns) {
        List<String> out = new ArrayList<>();
        int[] masked = null;
        for (String raw : lines) {
            String line = raw.stripTrailing();
            Matcher maps = MAPS_FILE_LINE.matcher(line);
            if (maps.matches()) {
                line = maps.group(1) + " DEV INODE .../" + maps.group(2);
            }
            if (!variableColumns.isEmpty()) {
                if (line.startsWith("+-") && line.endsWith("-+")) {
                    line = "+---+";   // column widths follow the timings' widths
                } else if (line.startsWith("|") && line.endsWith("|")) {
                    String[] cells = line.substring(1, line.length() - 1).split("\\|", -1);
                    if (Arrays.stream(cells).anyMatch(c -> variableColumns.contains(c.strip()))) {
                        masked = new int[cells.length];
                        for (int c = 0; c < cells.length; c++) {
                            masked[c] = variableColumns.contains(cells[c].strip()) ? 1 : 0;
                        }
                    }
                    StringBuilder row = new StringBuilder("|");
                    for (int c = 0; c < cells.length; c++) {
                        boolean varies = masked != null && masked.length == cells.length && masked[c] == 1
                                && !variableColumns.contains(cells[c].strip());
                        row.append(' ').append(varies ? "(varies)" : cells[c].strip()).append(" |");
                    }
                    line = row.toString();
                } else {
                    masked = null;
                }
            }
            out.add(line);
        }
        while (!out.isEmpty() && out.getLast().isEmpty()) {
            out.removeLast();
        }
        return out;
    }

    /**
     * Compares shown output, in which {@code ...} lines stand for any lines, with the actual output (both
     * normalised). {@return empty if they agree, else a readable diff of the first part that does not}
     */
    static Optional<String> mismatch(List<String> shown, List<String> actual) {
        List<List<String>> parts = new ArrayList<>();
        parts.add(new ArrayList<>());
        for (String line : shown) {
            if (line.strip().equals(ELISION)) {
                parts.add(new ArrayList<>());
            } else {
                parts.getLast().add(line);
            }
        }
        boolean anchoredStart = shown.isEmpty() || !shown.getFirst().strip().equals(ELISION);
        boolean anchoredEnd = shown.isEmpty() || !shown.getLast().strip().equals(ELISION);
        if (parts.size() == 1) {
            return actual.equals(shown) ? Optional.empty() : Optional.of(diff(shown, actual, 0));
        }
        int at = 0;
        for (int p = 0; p < parts.size(); p++) {
            List<String> part = parts.get(p);
            if (part.isEmpty()) {
                continue;
            }
            boolean first = p == 0 && anchoredStart;
            boolean last = p == parts.size() - 1 && anchoredEnd;
            int found = -1;
            if (last) {
                int start = actual.size() - part.size();
                found = start >= at && actual.subList(start, actual.size()).equals(part) ? start : -1;
            } else if (first) {
                found = actual.size() >= part.size() && actual.subList(0, part.size()).equals(part) ? 0 : -1;
            } else {
                for (int s = at; s + part.size() <= actual.size() && found < 0; s++) {
                    if (actual.subList(s, s + part.size()).equals(part)) {
                        found = s;
                    }
                }
            }
            if (found < 0) {
                int from = first ? 0 : last ? Math.max(at, actual.size() - part.size()) : closest(part, actual, at);
                int to = Math.min(actual.size(), from + part.size());
                return Optional.of("the shown lines after elision " + p + " of " + (parts.size() - 1)
                        + " are not in the output" + (first ? " (at its start)" : last ? " (at its end)" : "")
                        + "; against the closest actual lines:\n"
                        + diff(part, actual.subList(from, Math.max(from, to)), from));
            }
            at = found + part.size();
        }
        return Optional.empty();
    }

    /** {@return where, from {@code at} on, the actual lines agree most with {@code part}} */
    private static int closest(List<String> part, List<String> actual, int at) {
        int best = at;
        int bestScore = -1;
        for (int s = at; s < Math.max(at + 1, actual.size() - part.size() + 1); s++) {
            int score = 0;
            for (int k = 0; k < part.size() && s + k < actual.size(); k++) {
                score += part.get(k).equals(actual.get(s + k)) ? 1 : 0;
            }
            if (score > bestScore) {
                best = s;
                bestScore = score;
            }
        }
        return Math.min(best, actual.size());
    }

    /** A line diff (longest common subsequence): {@code -} shown in the docs only, {@code +} printed only. */
    static String diff(List<String> shown, List<String> actual, int actualOffset) {
        int n = shown.size();
        int m = actual.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = shown.get(i).equals(actual.get(j)) ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        StringBuilder out = new StringBuilder("--- shown in the docs\n+++ printed now (from output line "
                + (actualOffset + 1) + ")\n");
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && shown.get(i).equals(actual.get(j))) {
                out.append("  ").append(shown.get(i)).append('\n');
                i++;
                j++;
            } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
                out.append("+ ").append(actual.get(j++)).append('\n');
            } else {
                out.append("- ").append(shown.get(i++)).append('\n');
            }
        }
        return out.toString();
    }
}
