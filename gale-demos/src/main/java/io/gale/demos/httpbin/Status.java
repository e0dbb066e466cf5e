package io.gale.demos.httpbin;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code /status/{codes}} with any method: answers with the code (or one drawn from a weighted
 * list, see {@link StatusChoice}), with httpbin's extras: redirects point to {@code /redirect/1},
 * 401 and 407 ask for Basic credentials, 406 lists what it could have served, 418 is a teapot.
 * Synchronous.
 */
final class Status extends HttpBinHandler {
    static final String TEAPOT = """

                -=[ teapot ]=-

                   _...._
                 .'  _ _ `.
                | ."` ^ `". _,
                \\_;`"---"`|//
                  |       ;/
                  \\_     _/
                    `\"\"\"`
            """;

    public void get(String codes) {
        answer(codes);
    }

    public void post(String codes) {
        answer(codes);
    }

    public void put(String codes) {
        answer(codes);
    }

    public void patch(String codes) {
        answer(codes);
    }

    public void delete(String codes) {
        answer(codes);
    }

    private void answer(String codes) {
        StatusChoice choice;
        try {
            choice = StatusChoice.parse(codes);
        } catch (IllegalArgumentException e) {
            throw badRequest("%s", e.getMessage());
        }
        int code = choice.pick(ThreadLocalRandom.current());
        setStatus(code);
        switch (code) {
            case 301, 302, 303, 305, 307 -> setHeader("Location", "/redirect/1");
            case 401 -> setHeader("WWW-Authenticate", "Basic realm=\"Fake Realm\"");
            case 407 -> setHeader("Proxy-Authenticate", "Basic realm=\"Fake Realm\"");
            case 406 -> write(notAcceptableBody());
            case 418 -> {
                setHeader("x-more-info", "http://tools.ietf.org/html/rfc2324");
                setHeader("Content-Type", "text/plain; charset=UTF-8");
                write(TEAPOT);
            }
            default -> { }
        }
    }

    /** httpbin's 406 body: what the client could have asked for (the types {@code /image} serves). */
    static Map<String, Object> notAcceptableBody() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", "Client did not request a supported media type.");
        body.put("accept", Images.ACCEPTED);
        return body;
    }
}
