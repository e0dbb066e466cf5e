package io.gale.demos.httpbin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /image} and {@code /image/png|jpeg|webp|svg}: one small picture (64x64, Gale's own, under
 * {@code images/} beside this class) in four formats. {@code /image} picks by the Accept header as
 * httpbin does: the first of webp, svg+xml, jpeg, png (or {@code image/*}) that the header
 * mentions, PNG when there is no Accept header, 406 with the list of supported types otherwise.
 * httpbin matches substrings and ignores q-values; so does this, to answer as it does.
 *
 * <p>The four files (4 KiB together) are read once, when the routes are built; the handlers are
 * synchronous. Threading: as {@link HttpBinHandler}.
 */
final class Images {
    /** The types /image can answer, in httpbin's order of preference (also the 406 body's list). */
    static final List<String> ACCEPTED = List.of("image/webp", "image/svg+xml", "image/jpeg", "image/png", "image/*");

    private static final Map<String, byte[]> BY_TYPE = Map.of(
            "image/png", load("gale.png"),
            "image/jpeg", load("gale.jpg"),
            "image/webp", load("gale.webp"),
            "image/svg+xml", load("gale.svg"));

    private Images() {
    }

    private static byte[] load(String name) {
        try (InputStream in = Images.class.getResourceAsStream("images/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource images/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the files now (called while the routes are built, off the loop's request path). */
    static void preload() {
        BY_TYPE.size();
    }

    /** The media type /image answers for an Accept header (null: none), or null for 406. */
    static String negotiate(String accept) {
        if (accept == null) {
            return "image/png";
        }
        String a = accept.toLowerCase(Locale.ROOT);
        for (String type : ACCEPTED) {
            if (a.contains(type)) {
                return type.equals("image/*") ? "image/png" : type;
            }
        }
        return null;
    }

    private static void send(HttpBinHandler h, String type) {
        h.setHeader("Content-Type", type);
        h.write(BY_TYPE.get(type));
    }

    /** {@code GET /image}: content negotiation on Accept. */
    public static final class Negotiated extends HttpBinHandler {
        public void get() {
            String type = negotiate(request().headers().get("Accept"));
            if (type == null) {
                setStatus(406);
                write(Status.notAcceptableBody());
                return;
            }
            send(this, type);
        }
    }

    /** {@code GET /image/{png|jpeg|webp|svg}}: that format. Init argument {@code type}, the media type. */
    public static final class Fixed extends HttpBinHandler {
        private String type;

        @Override
        protected void initialize(Map<String, Object> initArgs) {
            type = (String) initArgs.get("type");
        }

        public void get() {
            send(this, type);
        }
    }
}
