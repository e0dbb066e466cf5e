package io.gale.demos.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.gale.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fortunes demo over a real socket, on an embedded H2 database holding TechEmpower's rows
 * (the benchmark harness checks the same page against PostgreSQL): the rows plus the added one,
 * sorted by message, escaped, as HTML in UTF-8.
 */
@Timeout(60)
class FortunesDemoTest {
    private static final String[] ROWS = {
        "fortune: No such file or directory",
        "A computer scientist is someone who fixes things that aren't broken.",
        "After enough decimal places, nobody gives a damn.",
        "A bad random number generator: 1, 1, 4, 33, 2, 1, 3, 2, 1, 3, 2, 3, 33, 2, 42.",
        "A computer program does what you tell it to do, not what you want it to do.",
        "Emacs is a nice operating system, but I prefer UNIX. \u2014 Tom Christaensen",
        "Any program that runs right is obsolete.",
        "A list is only as strong as its weakest link. \u2014 Donald Knuth",
        "Feature: A bug with seniority.",
        "Computers make very fast, very accurate mistakes.",
        "<script>alert(\"This should not be displayed in a browser alert box.\");</script>",
        "\u30d5\u30ec\u30fc\u30e0\u30ef\u30fc\u30af\u306e\u30d9\u30f3\u30c1\u30de\u30fc\u30af",
    };
    private static final Pattern ROW = Pattern.compile("<tr><td>(\\d+)</td><td>([^<]*)</td></tr>");

    private static HikariDataSource pool;
    private static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        pool = FortunesDemo.pool("jdbc:h2:mem:fortunes-test;DB_CLOSE_DELAY=-1", 2);
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE fortune (id INTEGER PRIMARY KEY, message VARCHAR(2048) NOT NULL)");
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO fortune (id, message) VALUES (?, ?)")) {
                for (int i = 0; i < ROWS.length; i++) {
                    insert.setInt(1, i + 1);
                    insert.setString(2, ROWS[i]);
                    insert.executeUpdate();
                }
            }
        }
        server = TestServer.start(FortunesDemo.application(pool));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (pool != null) {
            pool.close();
        }
    }

    @Test
    void pageHoldsEveryRowAndTheAddedOneSortedAndEscaped() throws Exception {
        HttpResponse<String> r = get("/fortunes");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValueSatisfying(
                t -> assertThat(t.toLowerCase().replace(" ", "")).isEqualTo("text/html;charset=utf-8"));
        assertThat(r.headers().firstValue("server")).isPresent();
        assertThat(r.headers().firstValue("date")).isPresent();
        String body = r.body();
        assertThat(body).startsWith("<!DOCTYPE html>").doesNotContain("<script>");

        List<String> messages = new ArrayList<>();
        Matcher m = ROW.matcher(body);
        while (m.find()) {
            String message = m.group(2).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                    .replace("&#39;", "'").replace("&#x27;", "'").replace("&amp;", "&");
            messages.add(message);
            if (m.group(1).equals("0")) {
                assertThat(message).isEqualTo(FortunesDemo.EXTRA);
            } else {
                assertThat(message).isEqualTo(ROWS[Integer.parseInt(m.group(1)) - 1]);
            }
        }
        List<String> expected = new ArrayList<>(List.of(ROWS));
        expected.add(FortunesDemo.EXTRA);
        expected.sort(null);
        assertThat(messages).containsExactlyElementsOf(expected);
        assertThat(body).contains("&lt;script&gt;alert(");
    }

    @Test
    void secondRequestAddsTheRowAgainNotTwice() throws Exception {
        get("/fortunes");
        String body = get("/fortunes").body();
        assertThat(body.split(Pattern.quote(FortunesDemo.EXTRA), -1)).hasSize(2);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            return client.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
