package io.github.alloclab.cli;

import static io.github.alloclab.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code alloclab report}: the file and the PNGs it writes, and one clear line for each kind of bad input. */
class ReportCommandTest {

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @Test
    void writesTheReportAndThePlotsAsPng(@TempDir Path dir) throws IOException {
        Path html = dir.resolve("report.html");
        Path pngs = dir.resolve("plots/new");
        CliRun r = run("report", "ls_l_usr_share_doc.mtrace", "-a", "firstfit", "-a", "slab", "--max-rows", "50",
                "-o", html.toString(), "--png", pngs.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("wrote " + html, "wrote " + pngs.resolve("utilization.png"));
        String page = Files.readString(html);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("data-allocator=\"firstfit\"",
                "data-allocator=\"slab\"", "ls_l_usr_share_doc.mtrace").endsWith("</html>\n");
        try (var files = Files.list(pngs)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly(
                    "ls_l_usr_share_doc-footprint.png", "ls_l_usr_share_doc-fragmentation.png", "utilization.png");
        }
        for (String name : new String[] {"utilization", "ls_l_usr_share_doc-footprint", "ls_l_usr_share_doc-fragmentation"}) {
            byte[] png = Files.readAllBytes(pngs.resolve(name + ".png"));
            assertThat(png).startsWith(PNG_SIGNATURE);
            assertThat(png.length).as(name).isGreaterThan(5_000);
        }
    }

    @Test
    void aMissingTraceIsOneLineAndExit2(@TempDir Path dir) {
        CliRun r = run("report", dir.resolve("nope.rep").toString(), "-o", dir.resolve("r.html").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("alloclab: ").contains("nope.rep: no such file").hasLineCount(1);
        assertThat(dir.resolve("r.html")).doesNotExist();
    }

    @Test
    void anUnknownAllocatorIsOneLineAndExit2(@TempDir Path dir) {
        CliRun r = run("report", "find_doc_gz.rep", "-a", "nosuch", "-o", dir.resolve("r.html").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("alloclab: ").contains("nosuch").hasLineCount(1);
    }

    @Test
    void anUnwritableOutputFailsBeforeAnyReplay(@TempDir Path dir) throws IOException {
        CliRun missing = run("report", "find_doc_gz.rep", "-o", dir.resolve("no/such/dir/r.html").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("cannot write the report (no such directory").hasLineCount(1);
        CliRun directory = run("report", "find_doc_gz.rep", "-o", dir.toString());
        assertThat(directory.exit()).isEqualTo(2);
        assertThat(directory.err()).contains("is a directory").hasLineCount(1);
        Path file = Files.writeString(dir.resolve("file"), "x");
        CliRun pngUnderFile = run("report", "ls_l_usr_share_doc.mtrace", "-a", "firstfit", "--max-rows", "5",
                "-o", dir.resolve("r.html").toString(), "--png", file.resolve("sub").toString());
        assertThat(pngUnderFile.exit()).isEqualTo(2);
        assertThat(pngUnderFile.err()).contains("cannot make the PNG directory").hasLineCount(1);
    }

    @Test
    void badOptionsAreUsageErrors(@TempDir Path dir) {
        CliRun rows = run("report", "find_doc_gz.rep", "--max-rows", "1", "-o", dir.resolve("r.html").toString());
        assertThat(rows.exit()).isEqualTo(2);
        assertThat(rows.err()).contains("--max-rows must be at least 2").hasLineCount(1);
        CliRun noOutput = run("report", "find_doc_gz.rep");
        assertThat(noOutput.exit()).isEqualTo(2);
        assertThat(noOutput.err()).contains("--output").hasLineCount(1);
        CliRun noTrace = run("report", "-o", dir.resolve("r.html").toString());
        assertThat(noTrace.exit()).isEqualTo(2);
    }
}
